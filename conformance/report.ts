/**
 * Collects the outcome of conformance steps and prints one TAP-like line per
 * step: `ok - <suite>: <name>` or `not ok - <suite>: <name>: <why>`.
 */

export interface StepResult {
  suite: string;
  name: string;
  ok: boolean;
  why?: string;
  ms: number;
}

export type LineWriter = (line: string) => void;

const writeToStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export class Report {
  readonly results: StepResult[] = [];

  constructor(private readonly write: LineWriter = writeToStdout) {}

  /** Runs one step; an exception (a failed expectation) makes it `not ok` and the run goes on. */
  async step(suite: string, name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.results.push({ suite, name, ok: true, ms: Date.now() - started });
      this.write(`ok - ${suite}: ${name}`);
      return true;
    } catch (error) {
      const why = oneLine(error instanceof Error ? error.message : String(error));
      this.results.push({ suite, name, ok: false, why, ms: Date.now() - started });
      this.write(`not ok - ${suite}: ${name}: ${why}`);
      return false;
    }
  }

  /** A comment line (TAP `#`), for what is not a step: setup notes, cleanup. */
  note(text: string): void {
    this.write(`# ${oneLine(text)}`);
  }

  passed(suite?: string): StepResult[] {
    return this.results.filter((r) => r.ok && (suite === undefined || r.suite === suite));
  }

  failed(suite?: string): StepResult[] {
    return this.results.filter((r) => !r.ok && (suite === undefined || r.suite === suite));
  }

  suites(): string[] {
    return [...new Set(this.results.map((r) => r.suite))];
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
