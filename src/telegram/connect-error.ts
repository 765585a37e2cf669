/**
 * Connecting to Telegram failed at the socket: refused, unreachable, reset. GramJS retries such a
 * connect by itself and then only answers "not connected" (or nothing before the job's deadline), so
 * the job keeps the socket's own error to say what happened — "refused" rather than "got no reply".
 * classifyTelegramError treats it as transient: the next attempt or run may find Telegram again.
 */
import { AppError, asError } from '../errors/app-error.ts';

export class TelegramConnectError extends AppError<'telegram_connect'> {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super(describeSocketFailure(cause), { kind: 'telegram_connect', cause });
    this.code = socketErrorCode(cause);
  }
}

function socketErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeSocketFailure(error: unknown): string {
  const details = error as { code?: unknown; address?: unknown; port?: unknown } | null | undefined;
  const where =
    typeof details?.address === 'string'
      ? ` to ${details.address}${typeof details.port === 'number' ? `:${details.port}` : ''}`
      : '';
  switch (socketErrorCode(error)) {
    case 'ECONNREFUSED':
      return `connect: the connection${where} was refused (ECONNREFUSED): nothing listens there, or a firewall rejects it`;
    case 'ETIMEDOUT':
      return `connect: the connection${where} timed out (ETIMEDOUT)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `connect: the network${where} is unreachable (${socketErrorCode(error)}): check the machine's network`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `connect: the host name could not be resolved (${socketErrorCode(error)}): check DNS`;
    default:
      return `connect failed: ${asError(error).message}`;
  }
}
