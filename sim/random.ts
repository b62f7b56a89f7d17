/**
 * Seeded random numbers for the simulator: small, documented, no dependency.
 *
 * - The hash: cyrb53 (a public-domain 53-bit string hash by bryc) turns the seed and a name ("member m-0042
 *   press") into a 32-bit stream seed, so every simulated person and every call has its own stream, drawn up
 *   front. A draw never depends on how many others were drawn before it, or in which order: the same member gets
 *   the same press time whether 2 or 8 people are on the phones (common random numbers), and a run repeats.
 * - The generator: mulberry32 (Tommy Ettinger, public domain), 32 bits of state, period 2^32 per stream: plenty
 *   for a few dozen draws per stream; not for cryptography.
 * - Normal draws: Box–Muller on two uniforms. Lognormal: median · e^(σ·z).
 */

/** cyrb53: a fast 53-bit hash of a string, well mixed; the low 32 bits seed a stream. */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** One stream of uniform draws in [0, 1). */
export class Stream {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** mulberry32. */
  uniform(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal draw (Box–Muller; the second value is thrown away so each draw uses the same two uniforms). */
  normal(): number {
    // 1 − u keeps the logarithm's argument in (0, 1].
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A lognormal draw with this median and shape σ (the standard deviation of its logarithm); σ 0 gives the median. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }
}

/** The stream named `name` under `seed`: the same pair always gives the same draws. */
export function stream(seed: string, name: string): Stream {
  return new Stream(cyrb53(`${seed}\u0000${name}`) % 4294967296);
}
