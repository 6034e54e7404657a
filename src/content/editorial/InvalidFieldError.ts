/**
 * A value the content rules refuse, found while writing (a slug another article holds, an author
 * that does not exist): `field` is the editable field's name ("slug"). The import reports it as a
 * problem of the file, the mutations as BAD_USER_INPUT naming the input field.
 */
export class InvalidFieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}
