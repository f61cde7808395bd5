import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type PathTemplate, compileTemplate } from './route-matcher';

/** The parts of a dereferenced OpenAPI 3.1 document the checks read. */
export interface SchemaObject {
  readonly [keyword: string]: unknown;
}
export interface HeaderObject {
  readonly required?: boolean;
  readonly schema?: SchemaObject;
}
export interface ResponseObject {
  readonly description?: string;
  readonly headers?: Readonly<Record<string, HeaderObject>>;
  readonly content?: Readonly<Record<string, { readonly schema?: SchemaObject }>>;
}
export interface OperationObject {
  readonly operationId?: string;
  readonly responses: Readonly<Record<string, ResponseObject>>;
}
export interface DereferencedDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OperationObject>>>>;
  readonly components?: { readonly responses?: Readonly<Record<string, ResponseObject>> };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * One OpenAPI document, dereferenced, ready to check answers against: its path templates as
 * the router matches them, and a JSON Schema validator per schema, compiled on first use and
 * kept (the fuzz specs check thousands of answers against the same few schemas).
 */
export class OpenApiContract {
  readonly templates: readonly PathTemplate[];
  private readonly validators = new Map<SchemaObject, ValidateFunction>();

  constructor(
    readonly document: DereferencedDocument,
    private readonly ajv: Ajv2020,
  ) {
    this.templates = Object.keys(document.paths).map(compileTemplate);
  }

  /** The operation for an upper-case method on a path template, if the document has it. */
  operation(method: string, template: string): OperationObject | undefined {
    const lower = method.toLowerCase();
    return HTTP_METHODS.has(lower) ? this.document.paths[template]?.[lower] : undefined;
  }

  /** `components.responses[name]`: an answer that belongs to no one operation. */
  componentResponse(name: string): ResponseObject | undefined {
    return this.document.components?.responses?.[name];
  }

  /** The errors of `value` against `schema`, in words; empty when it conforms. */
  errorsOf(schema: SchemaObject, value: unknown): string[] {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
  }
}

/**
 * The JSON Schema 2020-12 validator OpenAPI 3.1 calls for, with the formats the document
 * uses (uuid, date-time). Strict, so a keyword it does not know fails loudly instead of
 * being skipped; `type` lists (zod's metadata values) are plain JSON Schema.
 */
export function contractAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}
