/**
 * Logging a user account in (phone + code + 2FA password, or QR code), checking an imported session
 * string, and logging a session out. The only login code that touches GramJS; it asks its questions
 * through {@link LoginQuestions} (the CLI answers them from a terminal or from stdin) and never puts a
 * phone number, code, password or session into an error message.
 */
import { AppError } from '../errors/app-error.ts';
import { Api, errors, TelegramClient } from 'telegram';
import { computeCheck } from 'telegram/Password.js';
import { StringSession } from 'telegram/sessions/index.js';
import { BrokenAuthKeyError, watchForBrokenAuthKey } from './broken-auth-key.ts';
import { createTelegramClient } from './create-client.ts';
import type { AppLogger } from '../observability/app-logger.ts';
import { GramJsLogBridge, routeGramJsErrors } from './gramjs-logger.ts';
import { StatelessStringSession } from './stateless-session.ts';
import type { TestDataCenter } from './test-data-center.ts';
import { withTimeout } from './with-timeout.ts';

export interface TelegramAccess {
  readonly apiId: number;
  readonly apiHash: string;
  /** Testing only: a local data center instead of Telegram. */
  readonly testDataCenter?: TestDataCenter;
  readonly logger: Pick<AppLogger, 'debug' | 'warn'>;
  /** Deadline of every single call (GramJS has none). */
  readonly callTimeoutMs: number;
}

/** What a login needs to ask the person at the keyboard (or a script on stdin). */
export interface LoginQuestions {
  phoneNumber(): Promise<string>;
  /** `attempt` counts from 1; above 1 the previous code was wrong. */
  loginCode(info: {
    readonly deliveredVia: string;
    readonly length: number | undefined;
    readonly attempt: number;
  }): Promise<string>;
  /** The 2FA ("cloud") password; `attempt` above 1 means the previous one was wrong. */
  password(info: { readonly hint: string | undefined; readonly attempt: number }): Promise<string>;
  /** QR login: show `link` (tg://login?token=…) as a QR code; called again with a new link when the old one expires. */
  showQrCode(link: string, expiresAt: Date): Promise<void>;
  /** A progress message for the person logging in ("code sent via the Telegram app"). */
  notice(message: string): void;
}

/** The account a session belongs to. */
export interface SessionOwner {
  readonly userId: bigint;
  readonly isBot: boolean;
  /** First and last name, or the username; for "logged in as …". */
  readonly displayName: string;
  readonly username: string | null;
}

export interface LoginResult {
  /** The new session string (full access to the account: store it, never print it unasked). */
  readonly session: string;
  readonly owner: SessionOwner;
}

/** A login that cannot go on, with a message meant for the operator (never containing the answers). */
export class LoginError extends AppError<'login'> {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, { kind: 'login' });
  }
}

export const BOT_REFUSAL =
  'messages.getPeerDialogs works for user accounts only (Telegram refuses it to bots), so tg-dialog-sync cannot sync a bot: ' +
  'log in with the phone number (or QR code, or session) of a user account';

/** Bot API tokens look like "123456789:AAH…"; such input is refused with {@link BOT_REFUSAL}. */
export function looksLikeBotToken(text: string): boolean {
  return /^\s*\d{3,}:[A-Za-z0-9_-]{8,}\s*$/.test(text);
}

const MAX_CODE_ATTEMPTS = 3;
const MAX_PASSWORD_ATTEMPTS = 3;

/** Phone number, code, and the 2FA password when the account has one. */
export async function loginWithCode(
  access: TelegramAccess,
  questions: LoginQuestions,
  signal?: AbortSignal,
): Promise<LoginResult> {
  return withFreshClient(access, async (client, call) => {
    const phoneNumber = (await questions.phoneNumber()).trim();
    if (looksLikeBotToken(phoneNumber)) throw new LoginError(`that is a bot token; ${BOT_REFUSAL}`, 'bot');
    if (!/^\+?[\d\s().-]{5,}$/.test(phoneNumber)) {
      throw new LoginError(
        'that is not a phone number: write it in international format, e.g. +49 151 12345678',
        'PHONE_NUMBER_INVALID',
      );
    }
    signal?.throwIfAborted();
    const sent = await call('auth.sendCode', () =>
      client.invoke(
        new Api.auth.SendCode({
          phoneNumber,
          apiId: access.apiId,
          apiHash: access.apiHash,
          settings: new Api.CodeSettings({}),
        }),
      ),
    );
    if (sent instanceof Api.auth.SentCodeSuccess) return authorizationResult(client, sent.authorization);
    questions.notice(`Telegram sent a login code ${describeDelivery(sent.type)}.`);
    for (let attempt = 1; ; attempt++) {
      const phoneCode = (
        await questions.loginCode({ deliveredVia: describeDelivery(sent.type), length: codeLength(sent.type), attempt })
      ).trim();
      if (phoneCode === '') throw new LoginError('no login code given', 'PHONE_CODE_EMPTY');
      signal?.throwIfAborted();
      try {
        const authorization = await call('auth.signIn', () =>
          client.invoke(new Api.auth.SignIn({ phoneNumber, phoneCodeHash: sent.phoneCodeHash, phoneCode })),
        );
        return authorizationResult(client, authorization);
      } catch (error) {
        const message = rpcMessage(error);
        if (message === 'SESSION_PASSWORD_NEEDED') return checkPassword(client, call, questions, signal);
        if (message === 'PHONE_CODE_INVALID' && attempt < MAX_CODE_ATTEMPTS) {
          questions.notice('That code is wrong; try again.');
          continue;
        }
        throw error;
      }
    }
  });
}

/**
 * QR-code login for machines without a keyboard session: shows tg://login?token=… as a QR code (a
 * new one whenever the old expires) until a logged-in Telegram app scans it, follows a DC migration,
 * and asks for the 2FA password if the account has one.
 */
export async function loginWithQrCode(
  access: TelegramAccess,
  questions: LoginQuestions,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<LoginResult> {
  return withFreshClient(access, async (client, call) => {
    let accepted!: () => void;
    let acceptedPromise = new Promise<void>((resolve) => (accepted = resolve));
    client.addEventHandler((update: unknown) => {
      if (update instanceof Api.UpdateLoginToken) accepted();
    });
    const deadline = Date.now() + options.timeoutMs;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        if (Date.now() > deadline)
          throw new LoginError(
            `the QR code was not scanned within ${Math.round(options.timeoutMs / 1000)} s`,
            'QR_TIMEOUT',
          );
        const result = await call('auth.exportLoginToken', () =>
          client.invoke(new Api.auth.ExportLoginToken({ apiId: access.apiId, apiHash: access.apiHash, exceptIds: [] })),
        );
        if (result instanceof Api.auth.LoginTokenSuccess) return authorizationResult(client, result.authorization);
        if (result instanceof Api.auth.LoginTokenMigrateTo) {
          questions.notice(`The account lives in data center ${result.dcId}; reconnecting there.`);
          await call('connect', () => client._switchDC(result.dcId));
          const imported = await call('auth.importLoginToken', () =>
            client.invoke(new Api.auth.ImportLoginToken({ token: result.token })),
          );
          if (imported instanceof Api.auth.LoginTokenSuccess)
            return authorizationResult(client, imported.authorization);
          throw new LoginError(`unexpected answer to auth.importLoginToken: ${imported.className}`, 'QR_UNEXPECTED');
        }
        const expiresAt = new Date(result.expires * 1000);
        await questions.showQrCode(`tg://login?token=${Buffer.from(result.token).toString('base64url')}`, expiresAt);
        // Wait until the app accepts the token (updateLoginToken), the token expires, or time is up.
        const waitMs = Math.max(1_000, Math.min(expiresAt.getTime(), deadline) - Date.now());
        const outcome = await waitFor(acceptedPromise, waitMs, options.signal);
        if (outcome === 'done') acceptedPromise = new Promise<void>((resolve) => (accepted = resolve));
      }
    } catch (error) {
      if (rpcMessage(error) === 'SESSION_PASSWORD_NEEDED')
        return checkPassword(client, call, questions, options.signal);
      throw error;
    }
  });
}

/** Connects with an existing session string and asks Telegram who it belongs to (users.getUsers(self)). */
export async function inspectSession(access: TelegramAccess, session: string): Promise<SessionOwner> {
  assertSessionString(session);
  const { client, keyUnknown } = sessionClient(access, session);
  try {
    await withTimeout('connect', access.callTimeoutMs, client.connect(), keyUnknown);
    const [self] = await withTimeout(
      'users.getUsers',
      access.callTimeoutMs,
      client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })),
      keyUnknown,
    );
    if (!(self instanceof Api.User))
      throw new LoginError(
        "Telegram did not return the session's own user (the session may be logged out)",
        'USER_EMPTY',
      );
    return ownerOf(self);
  } catch (error) {
    throw explainLoginFailure(error);
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/** auth.logOut for a stored session; a session Telegram no longer knows counts as logged out. */
export async function logOutSession(
  access: TelegramAccess,
  session: string,
): Promise<'logged_out' | 'already_invalid'> {
  assertSessionString(session);
  const { client, keyUnknown } = sessionClient(access, session);
  try {
    await withTimeout('connect', access.callTimeoutMs, client.connect(), keyUnknown);
    await withTimeout('auth.logOut', access.callTimeoutMs, client.invoke(new Api.auth.LogOut()), keyUnknown);
    return 'logged_out';
  } catch (error) {
    if (error instanceof BrokenAuthKeyError || DEAD_SESSION_ERRORS.has(rpcMessage(error) ?? ''))
      return 'already_invalid';
    throw explainLoginFailure(error);
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

const DEAD_SESSION_ERRORS = new Set([
  'AUTH_KEY_UNREGISTERED',
  'AUTH_KEY_INVALID',
  'SESSION_REVOKED',
  'SESSION_EXPIRED',
  'USER_DEACTIVATED',
  'USER_DEACTIVATED_BAN',
]);

/**
 * A client for checking a stored or imported session. `keyUnknown` aborts (with BrokenAuthKeyError)
 * when Telegram answers transport error −404: GramJS then stops reading, and the check would
 * otherwise wait for the call's deadline before failing.
 */
function sessionClient(access: TelegramAccess, session: string): { client: TelegramClient; keyUnknown: AbortSignal } {
  const client = createTelegramClient({
    session,
    apiId: access.apiId,
    apiHash: access.apiHash,
    logger: access.logger,
    ...testDc(access),
  });
  const broken = new AbortController();
  watchForBrokenAuthKey(client, (error) => {
    if (!broken.signal.aborted) broken.abort(error);
  });
  return { client, keyUnknown: broken.signal };
}

/** Telegram's authorization keys are 2048 bits. */
const AUTH_KEY_BYTES = 256;

/**
 * Refuses a string that cannot be a session before connecting with it: not "1" + base64, or one whose
 * authorization key is not whole (cut short when copied). GramJS would take any such key and connect,
 * and Telegram would only answer that it does not know it.
 */
function assertSessionString(session: string): void {
  const notASession = () =>
    new LoginError('that is not a GramJS/Telethon-style session string ("1" followed by base64)', 'SESSION_INVALID');
  let parsed: StringSession;
  try {
    parsed = new StringSession(session);
  } catch {
    throw notASession();
  }
  if (!/^1[A-Za-z0-9+/=_-]{20,}$/.test(session)) throw notASession();
  // GramJS keeps what follows the address and port as the key, whatever its length.
  const key = (parsed as unknown as { _key?: Buffer })._key;
  if (key === undefined || key.length !== AUTH_KEY_BYTES) {
    throw new LoginError(
      `that session string is cut short or damaged: its authorization key has ${key?.length ?? 0} of ${AUTH_KEY_BYTES} bytes; copy the whole string again`,
      'SESSION_INVALID',
    );
  }
}

type Call = <Result>(method: string, run: () => Promise<Result>) => Promise<Result>;

async function withFreshClient(
  access: TelegramAccess,
  flow: (client: TelegramClient, call: Call) => Promise<LoginResult>,
): Promise<LoginResult> {
  const session =
    access.testDataCenter === undefined
      ? new StatelessStringSession('')
      : access.testDataCenter.sessionFor(access.testDataCenter.dcIds[0]!);
  const client = new TelegramClient(session, access.apiId, access.apiHash, {
    floodSleepThreshold: 0,
    requestRetries: 3,
    connectionRetries: 3,
    baseLogger: new GramJsLogBridge(access.logger),
    ...(access.testDataCenter === undefined ? {} : { connection: access.testDataCenter.connection }),
  });
  routeGramJsErrors(client, access.logger);
  const call: Call = (method, run) => withTimeout(method, access.callTimeoutMs, run());
  try {
    await call('connect', () => client.connect());
    return await flow(client, call);
  } catch (error) {
    throw explainLoginFailure(error);
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

async function checkPassword(
  client: TelegramClient,
  call: Call,
  questions: LoginQuestions,
  signal: AbortSignal | undefined,
): Promise<LoginResult> {
  questions.notice('The account has two-step verification: its password is needed.');
  for (let attempt = 1; ; attempt++) {
    const request = await call('account.getPassword', () => client.invoke(new Api.account.GetPassword()));
    const password = await questions.password({ hint: request.hint ?? undefined, attempt });
    if (password === '') throw new LoginError('no 2FA password given', 'PASSWORD_EMPTY');
    signal?.throwIfAborted();
    try {
      const check = await computeCheck(request, password);
      const authorization = await call('auth.checkPassword', () =>
        client.invoke(new Api.auth.CheckPassword({ password: check })),
      );
      return authorizationResult(client, authorization);
    } catch (error) {
      if (rpcMessage(error) === 'PASSWORD_HASH_INVALID' && attempt < MAX_PASSWORD_ATTEMPTS) {
        questions.notice('That password is wrong; try again.');
        continue;
      }
      throw error;
    }
  }
}

function authorizationResult(client: TelegramClient, authorization: Api.auth.TypeAuthorization): LoginResult {
  if (authorization instanceof Api.auth.AuthorizationSignUpRequired) {
    throw new LoginError(
      'this phone number has no Telegram account yet: sign up in an official Telegram app first',
      'SIGN_UP_REQUIRED',
    );
  }
  if (!(authorization.user instanceof Api.User))
    throw new LoginError('Telegram returned no user for the login', 'USER_EMPTY');
  const session = (client.session as StringSession).save();
  return { session, owner: ownerOf(authorization.user) };
}

function ownerOf(user: Api.User): SessionOwner {
  const name = [user.firstName, user.lastName].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    userId: BigInt(user.id.toString()),
    isBot: user.bot === true,
    displayName: name || (user.username ? `@${user.username}` : `user ${user.id.toString()}`),
    username: user.username ?? null,
  };
}

function describeDelivery(type: Api.auth.TypeSentCodeType): string {
  if (type instanceof Api.auth.SentCodeTypeApp) return 'as a message in your Telegram app';
  if (type instanceof Api.auth.SentCodeTypeSms) return 'by SMS';
  if (type instanceof Api.auth.SentCodeTypeCall) return 'by a phone call';
  if (type instanceof Api.auth.SentCodeTypeEmailCode) return 'to your login e-mail address';
  if (type instanceof Api.auth.SentCodeTypeFragmentSms) return 'through Fragment';
  return `(${type.className})`;
}

function codeLength(type: Api.auth.TypeSentCodeType): number | undefined {
  return 'length' in type && typeof type.length === 'number' ? type.length : undefined;
}

function rpcMessage(error: unknown): string | undefined {
  return error instanceof errors.RPCError ? error.errorMessage : undefined;
}

function testDc(access: TelegramAccess): { testDataCenter?: TestDataCenter } {
  return access.testDataCenter === undefined ? {} : { testDataCenter: access.testDataCenter };
}

async function waitFor(
  promise: Promise<void>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      promise.then(() => 'done' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new LoginError('login cancelled', 'CANCELLED'));
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

/** Telegram's login errors as operator messages (never echoing what was typed). */
export function explainLoginFailure(error: unknown): unknown {
  if (error instanceof LoginError) return error;
  if (error instanceof BrokenAuthKeyError)
    return new LoginError(
      'Telegram does not know this session: it was logged out, or comes from another Telegram server or test data center (transport error -404); log in again with the phone number or --qr',
      'AUTH_KEY_UNKNOWN',
    );
  if (error instanceof errors.FloodWaitError || error instanceof errors.FloodTestPhoneWaitError) {
    const hours = error.seconds >= 3600 ? ` (about ${(error.seconds / 3600).toFixed(1)} h)` : '';
    return new LoginError(
      `Telegram limits login attempts: wait ${error.seconds} s${hours} before trying again`,
      'FLOOD_WAIT',
    );
  }
  const message = rpcMessage(error);
  if (message === undefined) return error;
  const explained = LOGIN_ERRORS[message];
  return new LoginError(
    explained === undefined ? `Telegram refused the login: ${message}` : `${explained} (${message})`,
    message,
  );
}

const LOGIN_ERRORS: Record<string, string> = {
  PHONE_NUMBER_INVALID:
    'Telegram does not know this phone number: write it in international format, e.g. +49 151 12345678',
  PHONE_NUMBER_BANNED: 'Telegram banned this phone number',
  PHONE_NUMBER_FLOOD: 'Telegram received too many login requests for this number: try again later',
  PHONE_CODE_INVALID: 'the login code is wrong (3 attempts used); run login again',
  PHONE_CODE_EXPIRED: 'the login code expired; run login again for a new code',
  PHONE_CODE_EMPTY: 'no login code given',
  PASSWORD_HASH_INVALID: 'the 2FA password is wrong (3 attempts used); run login again',
  API_ID_INVALID:
    'Telegram refused TELEGRAM_API_ID/TELEGRAM_API_HASH: copy both from https://my.telegram.org → API development tools',
  API_ID_PUBLISHED_FLOOD: 'this api_id was published and is blocked: create your own at https://my.telegram.org',
  AUTH_TOKEN_EXPIRED: 'the QR code expired before it was accepted; run login --qr again',
  AUTH_KEY_UNREGISTERED: 'the session is not logged in (logged out, or never completed a login)',
  AUTH_KEY_INVALID: 'the session is not valid for this Telegram data center',
  SESSION_REVOKED: 'the session was terminated from another device',
  SESSION_EXPIRED: 'the session expired',
  USER_DEACTIVATED: 'the account was deleted',
  USER_DEACTIVATED_BAN: 'Telegram banned the account',
  AUTH_KEY_DUPLICATED: 'the session was used by two processes at once and Telegram destroyed it',
};
