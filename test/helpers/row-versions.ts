/**
 * Every table of synced data, row by row, with each row's version (xmin): a version changes exactly
 * when the row is rewritten, so comparing two snapshots shows which rows a run wrote. Forbidden and
 * absent rows are labelled, so a test can show they are among the rows compared.
 */
export const ROW_VERSIONS_SQL = `SELECT t, k, xmin::text AS v FROM (
    SELECT 'users' t, id::text k, xmin FROM users
    UNION ALL SELECT 'chats', id::text, xmin FROM chats
    UNION ALL SELECT 'channels', id::text, xmin FROM channels
    UNION ALL SELECT 'account_users', account_id || ':' || user_id, xmin FROM account_users
    UNION ALL SELECT 'account_chats', account_id || ':' || chat_id || CASE WHEN is_forbidden THEN ' forbidden' ELSE '' END, xmin FROM account_chats
    UNION ALL SELECT 'account_channels', account_id || ':' || channel_id || CASE WHEN is_forbidden THEN ' forbidden' ELSE '' END, xmin FROM account_channels
    UNION ALL SELECT 'dialogs', account_id || ':' || peer_type || ':' || peer_id || CASE WHEN absent_since IS NOT NULL THEN ' absent' ELSE '' END, xmin FROM dialogs
    UNION ALL SELECT 'dialog_snapshots', id::text, xmin FROM dialog_snapshots
    UNION ALL SELECT 'messages', account_id || ':' || peer_type || ':' || peer_id || ':' || id, xmin FROM messages
    UNION ALL SELECT 'account_update_states', account_id::text, xmin FROM account_update_states
  ) x ORDER BY t, k`;
