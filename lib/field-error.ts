/** A validation problem at a field path such as `definition.title`. */
export interface FieldError {
  path: string;
  message: string;
}
