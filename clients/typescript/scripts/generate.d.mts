/** Where the generated types live: clients/typescript/src/schema.ts */
export declare const SCHEMA_FILE: string;
/** The TypeScript of an OpenAPI document (an object, as /api/docs-json answers it). */
export declare function generateSchema(document: unknown): Promise<string>;
