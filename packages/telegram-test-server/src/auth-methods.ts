/**
 * Login on the local data center, as Telegram does it:
 * auth.sendCode → auth.sentCode; auth.signIn with the account's fixed code → auth.authorization,
 * or 401 SESSION_PASSWORD_NEEDED when 2FA is on; account.getPassword + auth.checkPassword with a
 * real SRP check; auth.importBotAuthorization with the bot token; auth.logOut; and QR login
 * (auth.exportLoginToken / auth.importLoginToken, "scanned" by a test through the server).
 * A successful login binds the auth key to the account.
 */
import { randomBytes } from 'node:crypto';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import type { AuthKeyRecord } from './auth-key-store.ts';
import { randomInt64 } from './protocol/bytes.ts';
import { TELEGRAM_DH_G, TELEGRAM_DH_PRIME } from './protocol/dh-group.ts';
import { TelegramRpcError } from './rpc-error.ts';
import { createChallenge, createVerifier, verifyProof, type SrpChallenge, type SrpVerifier } from './srp.ts';
import type { BackendAccount, WorldBackend } from './world-backend.ts';
import { WORLD_NOT_HANDLED } from './world-backend.ts';

export interface ApiCredentials {
  apiId: number;
  apiHash: string;
}

interface LoginToken {
  token: Buffer;
  expires: number;
  authKey: AuthKeyRecord;
  acceptedBy: BackendAccount | null;
}

export interface AuthMethodContext {
  readonly authKey: AuthKeyRecord;
  readonly dcId: number;
}

/** Digits only: "+1 (555) 010-0001" → "15550100001". */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

const AUTH_METHODS = new Set([
  'auth.SendCode',
  'auth.SignIn',
  'auth.SignUp',
  'auth.CheckPassword',
  'auth.ImportBotAuthorization',
  'auth.LogOut',
  'auth.ExportLoginToken',
  'auth.ImportLoginToken',
  'account.GetPassword',
  'auth.ExportAuthorization',
  'auth.ImportAuthorization',
]);

export class AuthService {
  private readonly verifiers = new Map<bigint, SrpVerifier>();
  private readonly challenges = new Map<string, { srpId: bigint; challenge: SrpChallenge; accountUserId: bigint }>();
  private readonly loginTokens = new Map<string, LoginToken>();
  /** auth.exportAuthorization results not imported yet: id → (bytes, account, target DC). */
  private readonly exportedAuthorizations = new Map<string, { bytes: Buffer; accountUserId: bigint; dcId: number }>();

  constructor(
    private readonly world: WorldBackend,
    private readonly credentials: ApiCredentials,
    /** Called when a QR token is accepted, so the server can push updateLoginToken to the key's connections. */
    private readonly onLoginTokenAccepted: (authKey: AuthKeyRecord) => void,
  ) {}

  /** True for the methods this service answers (they work without a logged-in key). */
  handles(method: string): boolean {
    return AUTH_METHODS.has(method);
  }

  accountByPhone(phone: string): BackendAccount | undefined {
    const digits = normalisePhone(phone);
    return this.world.accounts.find((a) => normalisePhone(a.phone) === digits);
  }

  accountById(userId: bigint): BackendAccount | undefined {
    return this.world.accounts.find((a) => a.userId === userId);
  }

  async handle(ctx: AuthMethodContext, request: object): Promise<object> {
    if (request instanceof Api.auth.SendCode) return this.sendCode(ctx, request);
    if (request instanceof Api.auth.SignIn) return this.signIn(ctx, request);
    if (request instanceof Api.auth.SignUp) throw new TelegramRpcError(400, 'PHONE_NUMBER_INVALID');
    if (request instanceof Api.account.GetPassword) return this.getPassword(ctx);
    if (request instanceof Api.auth.CheckPassword) return this.checkPassword(ctx, request);
    if (request instanceof Api.auth.ImportBotAuthorization) return this.importBotAuthorization(ctx, request);
    if (request instanceof Api.auth.LogOut) return this.logOut(ctx);
    if (request instanceof Api.auth.ExportLoginToken) return this.exportLoginToken(ctx, request);
    if (request instanceof Api.auth.ImportLoginToken) return this.importLoginToken(ctx, request);
    if (request instanceof Api.auth.ExportAuthorization) return this.exportAuthorization(ctx, request);
    if (request instanceof Api.auth.ImportAuthorization) return this.importAuthorization(ctx, request);
    throw new TelegramRpcError(400, 'INPUT_METHOD_INVALID');
  }

  /**
   * Test hook: the account "scans" the QR code. Returns false when the token is unknown or expired.
   * GramJS then gets updateLoginToken and calls auth.exportLoginToken again, which logs it in.
   */
  acceptLoginToken(token: Buffer, account: BackendAccount): boolean {
    const entry = this.loginTokens.get(token.toString('hex'));
    if (!entry || entry.expires < Date.now() / 1000) return false;
    entry.acceptedBy = account;
    this.onLoginTokenAccepted(entry.authKey);
    return true;
  }

  /** The newest unexpired QR token issued on any key (for tests and the CLI). */
  latestLoginToken(): Buffer | undefined {
    let latest: LoginToken | undefined;
    for (const t of this.loginTokens.values()) if (!latest || t.expires >= latest.expires) latest = t;
    return latest?.token;
  }

  private checkCredentials(apiId: number, apiHash: string): void {
    if (apiId !== this.credentials.apiId) throw new TelegramRpcError(400, 'API_ID_INVALID');
    if (apiHash !== this.credentials.apiHash) throw new TelegramRpcError(400, 'API_ID_INVALID');
  }

  private sendCode(ctx: AuthMethodContext, request: Api.auth.SendCode): Api.auth.SentCode {
    this.checkCredentials(request.apiId, request.apiHash);
    const account = this.accountByPhone(request.phoneNumber);
    if (!account || account.isBot) throw new TelegramRpcError(400, 'PHONE_NUMBER_INVALID');
    const phoneCodeHash = randomBytes(9).toString('hex');
    ctx.authKey.pendingLogin = { stage: 'code-sent', phone: normalisePhone(account.phone), phoneCodeHash };
    return new Api.auth.SentCode({
      type: new Api.auth.SentCodeTypeApp({ length: account.loginCode.length }),
      phoneCodeHash,
      nextType: new Api.auth.CodeTypeSms(),
      timeout: 60,
    });
  }

  private async signIn(ctx: AuthMethodContext, request: Api.auth.SignIn): Promise<object> {
    const pending = ctx.authKey.pendingLogin;
    if (!request.phoneCode) throw new TelegramRpcError(400, 'PHONE_CODE_EMPTY');
    if (!request.phoneCodeHash) throw new TelegramRpcError(400, 'PHONE_CODE_HASH_EMPTY');
    if (
      !pending ||
      pending.stage !== 'code-sent' ||
      pending.phoneCodeHash !== request.phoneCodeHash ||
      pending.phone !== normalisePhone(request.phoneNumber)
    ) {
      throw new TelegramRpcError(400, 'PHONE_CODE_EXPIRED');
    }
    const account = this.accountByPhone(request.phoneNumber);
    if (!account) throw new TelegramRpcError(400, 'PHONE_NUMBER_INVALID');
    if (request.phoneCode !== account.loginCode) throw new TelegramRpcError(400, 'PHONE_CODE_INVALID');
    return this.completeLogin(ctx, account);
  }

  /**
   * A logged-in key asks for a one-time authorization to carry to DC `dcId` (what a client does
   * before switching DCs after a *_MIGRATE error). As on Telegram: not for the key's own DC.
   */
  private exportAuthorization(
    ctx: AuthMethodContext,
    request: Api.auth.ExportAuthorization,
  ): Api.auth.ExportedAuthorization {
    const accountUserId = ctx.authKey.accountUserId;
    if (accountUserId === null) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
    if (request.dcId === ctx.dcId) throw new TelegramRpcError(400, 'DC_ID_INVALID');
    const id = randomInt64();
    const bytes = randomBytes(32);
    this.exportedAuthorizations.set(id.toString(), { bytes, accountUserId, dcId: request.dcId });
    return new Api.auth.ExportedAuthorization({ id: bigInt(id.toString()), bytes });
  }

  /** Logs a fresh key on the target DC in with an exported authorization (once). */
  private async importAuthorization(
    ctx: AuthMethodContext,
    request: Api.auth.ImportAuthorization,
  ): Promise<Api.auth.Authorization> {
    const key = request.id.toString();
    const exported = this.exportedAuthorizations.get(key);
    if (!exported || exported.dcId !== ctx.dcId || !exported.bytes.equals(Buffer.from(request.bytes)))
      throw new TelegramRpcError(400, 'AUTH_BYTES_INVALID');
    this.exportedAuthorizations.delete(key);
    const account = this.accountById(exported.accountUserId);
    if (!account) throw new TelegramRpcError(400, 'AUTH_BYTES_INVALID');
    return this.bind(ctx, account);
  }

  /** Binds the key, unless the account has 2FA: then the key waits for auth.checkPassword. */
  private async completeLogin(ctx: AuthMethodContext, account: BackendAccount): Promise<Api.auth.Authorization> {
    if (account.password !== undefined && account.password !== '') {
      ctx.authKey.pendingLogin = { stage: 'password-needed', accountUserId: account.userId };
      throw new TelegramRpcError(401, 'SESSION_PASSWORD_NEEDED');
    }
    return this.bind(ctx, account);
  }

  private async bind(ctx: AuthMethodContext, account: BackendAccount): Promise<Api.auth.Authorization> {
    ctx.authKey.pendingLogin = null;
    ctx.authKey.accountUserId = account.userId;
    return new Api.auth.Authorization({ user: await this.selfUser(account) });
  }

  /** The account's own User object, from the world when it can produce one. */
  async selfUser(account: BackendAccount): Promise<Api.TypeUser> {
    const fromWorld = await this.world.call(
      { accountUserId: account.userId, isBot: account.isBot },
      new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
    );
    if (fromWorld !== WORLD_NOT_HANDLED && Array.isArray(fromWorld) && fromWorld[0])
      return fromWorld[0] as Api.TypeUser;
    return new Api.User({
      self: true,
      bot: account.isBot,
      id: bigInt(account.userId.toString()),
      accessHash: bigInt(0),
      firstName: account.firstName ?? 'Account',
      lastName: account.lastName ?? undefined,
      username: account.username ?? undefined,
      phone: account.isBot ? undefined : account.phone,
    });
  }

  private passwordAccount(ctx: AuthMethodContext): BackendAccount | undefined {
    const pending = ctx.authKey.pendingLogin;
    const userId = pending?.stage === 'password-needed' ? pending.accountUserId : ctx.authKey.accountUserId;
    return userId === null ? undefined : this.accountById(userId);
  }

  private verifierFor(account: BackendAccount): SrpVerifier {
    let verifier = this.verifiers.get(account.userId);
    if (!verifier) {
      verifier = createVerifier(account.password ?? '');
      this.verifiers.set(account.userId, verifier);
    }
    return verifier;
  }

  private getPassword(ctx: AuthMethodContext): Api.account.Password {
    const account = this.passwordAccount(ctx);
    if (!account) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
    const newAlgo = (salt1: Buffer, salt2: Buffer) =>
      new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
        salt1,
        salt2,
        g: TELEGRAM_DH_G,
        p: TELEGRAM_DH_PRIME,
      });
    const common = {
      newAlgo: newAlgo(randomBytes(8), randomBytes(16)),
      newSecureAlgo: new Api.SecurePasswordKdfAlgoSHA512({ salt: randomBytes(8) }),
      secureRandom: randomBytes(32),
    };
    if (!account.password) return new Api.account.Password({ hasPassword: false, ...common });
    const verifier = this.verifierFor(account);
    const challenge = createChallenge(verifier);
    const srpId = randomInt64();
    this.challenges.set(ctx.authKey.keyIdHex, { srpId, challenge, accountUserId: account.userId });
    return new Api.account.Password({
      hasPassword: true,
      currentAlgo: newAlgo(verifier.salt1, verifier.salt2),
      srp_B: challenge.B,
      srpId: bigInt(srpId.toString()),
      hint: 'local test password',
      ...common,
    });
  }

  private async checkPassword(
    ctx: AuthMethodContext,
    request: Api.auth.CheckPassword,
  ): Promise<Api.auth.Authorization> {
    const pending = ctx.authKey.pendingLogin;
    if (!pending || pending.stage !== 'password-needed') throw new TelegramRpcError(400, 'PASSWORD_HASH_INVALID');
    const check = request.password;
    if (!(check instanceof Api.InputCheckPasswordSRP)) throw new TelegramRpcError(400, 'PASSWORD_HASH_INVALID');
    const stored = this.challenges.get(ctx.authKey.keyIdHex);
    if (
      !stored ||
      stored.srpId.toString() !== check.srpId.toString() ||
      stored.accountUserId !== pending.accountUserId
    ) {
      throw new TelegramRpcError(400, 'SRP_ID_INVALID');
    }
    this.challenges.delete(ctx.authKey.keyIdHex);
    const account = this.accountById(pending.accountUserId);
    if (!account) throw new TelegramRpcError(400, 'SRP_ID_INVALID');
    if (!verifyProof(this.verifierFor(account), stored.challenge, Buffer.from(check.A), Buffer.from(check.M1))) {
      throw new TelegramRpcError(400, 'PASSWORD_HASH_INVALID');
    }
    return this.bind(ctx, account);
  }

  private async importBotAuthorization(
    ctx: AuthMethodContext,
    request: Api.auth.ImportBotAuthorization,
  ): Promise<Api.auth.Authorization> {
    this.checkCredentials(request.apiId, request.apiHash);
    const bot = this.world.accounts.find(
      (a) => a.isBot && a.botToken !== undefined && a.botToken === request.botAuthToken,
    );
    if (!bot) throw new TelegramRpcError(400, 'ACCESS_TOKEN_INVALID');
    return this.bind(ctx, bot);
  }

  private logOut(ctx: AuthMethodContext): Api.auth.LoggedOut {
    ctx.authKey.accountUserId = null;
    ctx.authKey.pendingLogin = null;
    return new Api.auth.LoggedOut({});
  }

  private async exportLoginToken(ctx: AuthMethodContext, request: Api.auth.ExportLoginToken): Promise<object> {
    this.checkCredentials(request.apiId, request.apiHash);
    const accepted = [...this.loginTokens.values()].find((t) => t.authKey === ctx.authKey && t.acceptedBy);
    if (accepted?.acceptedBy) {
      this.loginTokens.delete(accepted.token.toString('hex'));
      return new Api.auth.LoginTokenSuccess({ authorization: await this.completeLogin(ctx, accepted.acceptedBy) });
    }
    const token = randomBytes(32);
    const expires = Math.floor(Date.now() / 1000) + 30;
    this.loginTokens.set(token.toString('hex'), { token, expires, authKey: ctx.authKey, acceptedBy: null });
    return new Api.auth.LoginToken({ expires, token });
  }

  private async importLoginToken(ctx: AuthMethodContext, request: Api.auth.ImportLoginToken): Promise<object> {
    const entry = this.loginTokens.get(Buffer.from(request.token).toString('hex'));
    if (!entry || entry.expires < Date.now() / 1000) throw new TelegramRpcError(400, 'AUTH_TOKEN_EXPIRED');
    if (!entry.acceptedBy) throw new TelegramRpcError(400, 'AUTH_TOKEN_INVALID');
    this.loginTokens.delete(request.token.toString('hex'));
    return new Api.auth.LoginTokenSuccess({ authorization: await this.completeLogin(ctx, entry.acceptedBy) });
  }
}
