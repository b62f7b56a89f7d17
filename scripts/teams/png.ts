/** A minimal PNG encoder (RGBA, no filtering), so the Teams icons are drawn at build time, not committed as binaries. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `pixel(x, y)` returns [r, g, b, a]. */
export function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // no filter
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** 192×192 colour icon: dark field, TLP-amber band, white acknowledgement tick. */
export function colourIcon(): Buffer {
  return png(192, (x, y) => {
    const onTick = (x >= 50 && x <= 90 && Math.abs(y - (x + 60)) <= 9) || (x >= 86 && x <= 146 && Math.abs(y - (236 - x)) <= 9);
    if (onTick) return [255, 255, 255, 255];
    if (y >= 24 && y <= 44 && x >= 24 && x <= 168) return [255, 192, 0, 255];
    return [31, 41, 55, 255];
  });
}

/** 32×32 outline icon: white on transparent, as Teams requires. */
export function outlineIcon(): Buffer {
  return png(32, (x, y) => {
    const onTick = (x >= 8 && x <= 15 && Math.abs(y - (x + 10)) <= 1) || (x >= 14 && x <= 25 && Math.abs(y - (39 - x)) <= 1);
    const border = x === 1 || y === 1 || x === 30 || y === 30;
    return onTick || border ? [255, 255, 255, 255] : [0, 0, 0, 0];
  });
}
