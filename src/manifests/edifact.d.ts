/** The part of the `edifact` package (no bundled types) this component uses. */
declare module 'edifact' {
  export class Validator {
    define(definitions: Record<string, { requires: number; elements?: string[]; components?: string[] }>): void;
  }
  export class Parser {
    constructor(validator?: Validator);
    onopensegment: (segment: string) => void;
    onelement: () => void;
    oncomponent: (this: Parser, value: string) => void;
    encoding(level: string): void;
    write(chunk: string): void;
    end(): void;
  }
}
