import { Api, errors, type TelegramClient } from 'telegram';

/**
 * Moving a logged-in session to another data center, as Telegram requires after 303 *_MIGRATE_X.
 * GramJS 2.26.22 gets it wrong for a logged-in session: it rethrows NETWORK_MIGRATE and PHONE_MIGRATE
 * (after an extra updates.getState to learn that it is logged in), and follows USER_MIGRATE by
 * switching to a fresh auth key on DC X that is not logged in (every later call: AUTH_KEY_UNREGISTERED).
 * Telegram's way: export the authorization on the current DC, connect to DC X with a new key, import
 * it there, retry.
 */

interface SwitchingClient {
  _switchDC(dcId: number): Promise<unknown>;
}

/**
 * Replaces the client's own DC switch (which GramJS calls on USER_MIGRATE) by one that carries the
 * authorization, and returns it for the errors GramJS rethrows. Concurrent calls that meet the same
 * migration share one switch; a switch to the DC the session is already on does nothing.
 */
export function carryAuthorizationOnDcSwitch(
  client: TelegramClient,
  onSwitched: (dcId: number) => Promise<void>,
): (dcId: number) => Promise<void> {
  const target = client as unknown as SwitchingClient;
  const gramJsSwitch = target._switchDC.bind(client);
  let switching: { dcId: number; done: Promise<void> } | null = null;
  const switchTo = async (dcId: number) => {
    const exported = await client.invoke(new Api.auth.ExportAuthorization({ dcId }));
    if (!(exported instanceof Api.auth.ExportedAuthorization))
      throw new Error(`auth.exportAuthorization for DC ${dcId} gave no authorization`);
    await gramJsSwitch(dcId);
    await client.invoke(new Api.auth.ImportAuthorization({ id: exported.id, bytes: exported.bytes }));
    await onSwitched(dcId);
  };
  const switchDc = (dcId: number): Promise<void> => {
    if (switching !== null && switching.dcId === dcId) return switching.done;
    if (client.session.dcId === dcId) return Promise.resolve();
    const done = switchTo(dcId).finally(() => {
      switching = null;
    });
    switching = { dcId, done };
    return done;
  };
  target._switchDC = switchDc;
  return switchDc;
}

/** The DC a rethrown NETWORK_MIGRATE / PHONE_MIGRATE points to (USER_MIGRATE GramJS follows itself), else null. */
export function migrationTarget(error: unknown): number | null {
  if (
    error instanceof errors.NetworkMigrateError ||
    error instanceof errors.PhoneMigrateError ||
    error instanceof errors.UserMigrateError
  )
    return error.newDc;
  return null;
}
