/**
 * An error the local data center sends back to the client as `rpc_error`.
 * World method handlers and the protocol layer both throw it; the server turns it into
 * `rpc_result { rpc_error { error_code, error_message } }` exactly as Telegram does.
 */
export class TelegramRpcError extends Error {
  readonly code: number;
  readonly errorMessage: string;

  constructor(code: number, errorMessage: string) {
    super(`${code} ${errorMessage}`);
    this.name = 'TelegramRpcError';
    this.code = code;
    this.errorMessage = errorMessage;
  }
}
