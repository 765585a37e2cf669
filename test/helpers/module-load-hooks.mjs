// Module customization hooks (registered with node:module's register() by module-loads.ts): report the
// URL of every module the process loads to a MessagePort, so a test can see which source files a code
// path loads without changing that code.
let port;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  port.postMessage(url);
  return nextLoad(url, context);
}
