import { useEffect, useRef, useState } from 'react';

/**
 * Collects items as they arrive and hands them over once per animation
 * frame, so fifty runs streaming events cost one React update per frame.
 */
export class FrameBatcher<T> {
  private queue: T[] = [];
  private frame = 0;

  constructor(private readonly flush: (items: T[]) => void) {}

  push(items: readonly T[]): void {
    for (const item of items) this.queue.push(item);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.run());
  }

  private run(): void {
    this.frame = 0;
    const items = this.queue;
    this.queue = [];
    if (items.length > 0) this.flush(items);
  }

  cancel(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queue = [];
  }
}

/** A number that changes every `ms`, for elapsed times of running things. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A ref that always holds the latest value, for callbacks registered once. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
