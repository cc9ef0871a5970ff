type Labels = readonly string[];

interface Family {
  render(out: string[]): void;
}

const SEP = '\u0001';

/**
 * The few metric kinds Swarm and its gateway expose, rendered in Prometheus text
 * format 0.0.4. Series are keyed by their label values in declaration
 * order; gauges are read when scraped, so they are never out of date.
 */
export class PrometheusRegistry {
  private readonly families: Family[] = [];

  counter(name: string, help: string, labelNames: readonly string[]): Counter {
    const counter = new Counter(name, help, labelNames);
    this.families.push(counter);
    return counter;
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
  ): Histogram {
    const histogram = new Histogram(name, help, labelNames, buckets);
    this.families.push(histogram);
    return histogram;
  }

  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    read: () => Iterable<[Labels, number]>,
  ): void {
    this.families.push({
      render(out) {
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
        for (const [labels, value] of read())
          out.push(`${name}${labelText(labelNames, labels)} ${num(value)}`);
      },
    });
  }

  render(): string {
    const out: string[] = [];
    for (const family of this.families) family.render(out);
    return `${out.join('\n')}\n`;
  }
}

export class Counter implements Family {
  private readonly series = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = labels.join(SEP);
    this.series.set(key, (this.series.get(key) ?? 0) + by);
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`);
    for (const [key, value] of this.series) {
      out.push(`${this.name}${labelText(this.labelNames, key === '' ? [] : key.split(SEP))} ${num(value)}`);
    }
  }
}

export class Histogram implements Family {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labels.join(SEP);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] as number)) s.counts[i] = (s.counts[i] as number) + 1;
    s.sum += value;
    s.count += 1;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`);
    for (const [key, s] of this.series) {
      const labels = key === '' ? [] : key.split(SEP);
      this.buckets.forEach((le, i) => {
        out.push(
          `${this.name}_bucket${labelText([...this.labelNames, 'le'], [...labels, num(le)])} ${num(s.counts[i] as number)}`,
        );
      });
      out.push(
        `${this.name}_bucket${labelText([...this.labelNames, 'le'], [...labels, '+Inf'])} ${num(s.count)}`,
      );
      out.push(`${this.name}_count${labelText(this.labelNames, labels)} ${num(s.count)}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, labels)} ${num(s.sum)}`);
    }
  }
}

function labelText(names: readonly string[], values: Labels): string {
  if (names.length === 0) return '';
  const pairs = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  return `{${pairs.join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function num(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
