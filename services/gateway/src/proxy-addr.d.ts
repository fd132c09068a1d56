/** proxy-addr (express's own client-address logic) ships no types. */
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';
  function proxyaddr(req: IncomingMessage, trust: (addr: string, i: number) => boolean): string;
  export = proxyaddr;
}
