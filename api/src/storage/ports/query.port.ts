/**
 * One exact-match condition of `GET /users` / `GET /user-groups` (docs/auth.md): a field of the
 * stored document (`username`, `groups.name`, `is_superuser`, …) and a string or boolean. A field the
 * adapter does not know, or a value of the wrong type, matches nothing (as in MongoDB).
 */
export interface ExactMatch {
  field: string;
  value: string | boolean;
}

export interface PageRequest {
  limit: number;
  offset: number;
}
