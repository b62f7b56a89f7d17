/**
 * Where a server really listens, found from the operating system rather than from the URL the bot
 * reports (src/main.ts writes 127.0.0.1 into its URL for a server bound to 0.0.0.0, so the URL
 * cannot tell the two apart).
 */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { networkInterfaces } from 'node:os';

/** "0100007F" → "127.0.0.1" (/proc/net/tcp writes IPv4 addresses as one little-endian word). */
function ipv4FromProc(hex: string): string {
  const bytes = hex.match(/../g)!.map((b) => parseInt(b, 16));
  return bytes.reverse().join('.');
}

/** /proc/net/tcp6 writes IPv6 addresses as four little-endian 32-bit words. */
function ipv6FromProc(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
  return groups.join(':');
}

/**
 * The local addresses of every listening TCP socket on `port` in this network namespace, as
 * /proc/net/tcp and /proc/net/tcp6 list them ("127.0.0.1", "0.0.0.0", "0:0:0:0:0:0:0:0", …).
 */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, decode] of [
    ['/proc/net/tcp', ipv4FromProc],
    ['/proc/net/tcp6', ipv6FromProc],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel: nothing listens there
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const state = cols[3];
      if (!local || state !== '0A') continue; // 0A: TCP_LISTEN
      const [addr, portHex] = local.split(':') as [string, string];
      if (parseInt(portHex, 16) === port) found.push(decode(addr));
    }
  }
  return found;
}

/** This machine's own addresses other than loopback (the ones another host would connect to). */
export function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a.address);
}

/** Whether a TCP connection to host:port is accepted within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
