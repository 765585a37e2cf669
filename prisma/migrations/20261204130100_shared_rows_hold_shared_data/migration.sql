-- The shared tables (users, chats, channels) hold what every account may see (issue 13). Before this
-- version their raw tl_object was the copy of whichever account wrote last (its access hash, phone,
-- contact flags and saved contact name, membership and rights), and a user first seen as a contact
-- got that account's private label as users.first_name. The job now writes only shared fields
-- (src/store/mapping/shared-tl-object.ts, an allow-list); this migration cleans the rows stored
-- before. The next content change of a row rewrites its raw object from the allow-list anyway.

-- Names that came from a contact's copy: the raw object says the last writer was a contact and the
-- stored name is that copy's. The public name returns with the next copy that is not a contact's.
UPDATE "users"
SET first_name = NULL, last_name = NULL
WHERE tl_object->>'contact' = 'true'
  AND first_name IS NOT DISTINCT FROM NULLIF(tl_object->>'firstName', '')
  AND last_name IS NOT DISTINCT FROM NULLIF(tl_object->>'lastName', '');

UPDATE "users"
SET tl_object = CASE
        WHEN tl_object->>'contact' = 'true' THEN tl_object - 'firstName' - 'lastName'
        ELSE tl_object
    END
    - CASE WHEN tl_object #>> '{photo,personal}' = 'true' THEN 'photo' ELSE '' END
    - ARRAY['self', 'contact', 'mutualContact', 'closeFriend', 'min', 'applyMinPhoto', 'attachMenuEnabled', 'botCanEdit',
            'storiesHidden', 'storiesUnavailable', 'contactRequirePremium', 'accessHash', 'phone', 'status', 'storiesMaxId']
WHERE tl_object ?| ARRAY['self', 'contact', 'mutualContact', 'closeFriend', 'min', 'applyMinPhoto', 'attachMenuEnabled', 'botCanEdit',
                         'storiesHidden', 'storiesUnavailable', 'contactRequirePremium', 'accessHash', 'phone', 'status', 'storiesMaxId'];

UPDATE "chats"
SET tl_object = CASE
        WHEN jsonb_typeof(tl_object->'migratedTo') = 'object'
        THEN jsonb_set(tl_object, '{migratedTo}', (tl_object->'migratedTo') - 'accessHash')
        ELSE tl_object
    END
    - ARRAY['creator', 'left', 'adminRights']
WHERE tl_object ?| ARRAY['creator', 'left', 'adminRights'] OR tl_object->'migratedTo' ? 'accessHash';

UPDATE "channels"
SET tl_object = tl_object
    - ARRAY['creator', 'left', 'min', 'storiesHidden', 'storiesHiddenMin', 'storiesUnavailable', 'accessHash', 'date',
            'adminRights', 'bannedRights', 'subscriptionUntilDate', 'storiesMaxId', 'untilDate']
WHERE tl_object ?| ARRAY['creator', 'left', 'min', 'storiesHidden', 'storiesHiddenMin', 'storiesUnavailable', 'accessHash', 'date',
                         'adminRights', 'bannedRights', 'subscriptionUntilDate', 'storiesMaxId', 'untilDate'];
