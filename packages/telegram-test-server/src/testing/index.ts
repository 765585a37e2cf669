/**
 * `telegram-test-server/testing`: what a test needs besides the server — GramJS clients connected to
 * it, the connector behind them, a stand-in world for protocol-only tests, and a timeout for awaits
 * that must not hang a test file.
 */
export {
  TimeoutError,
  connectedClient,
  createTestClient,
  withTimeout,
  type TestClientOptions,
} from './gramjs-client.ts';
export { localDataCenter, type LocalDataCenter } from './local-data-center.ts';
export { STAND_IN_ACCOUNTS, standInWorld } from './stand-in-world.ts';
