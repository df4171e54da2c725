/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine and
 * Node version, which `Math.random` cannot promise. Not for secrets; the sandbox's tokens use node:crypto.
 */
export class SeededRandom {
  private readonly seed: number;
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Normally distributed (Box-Muller), mean 0 and standard deviation 1. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A child generator whose sequence depends only on this seed and `label`, not on how much was drawn before. */
  derive(label: string): SeededRandom {
    let hash = (this.seed ^ 0x9e3779b9) >>> 0;
    for (let index = 0; index < label.length; index++) {
      hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193) >>> 0;
    }
    return new SeededRandom(hash);
  }
}
