import { UserError } from './dto/user-error.model';
import { fail, userError, UserErrorsException } from './user-error';

/** Collects input problems so that one answer lists them all. */
export class InputCheck {
  private readonly errors: UserError[] = [];

  text(value: string, field: string[], opts: { min?: number; max: number; label: string }): this {
    const trimmed = value.trim();
    if (trimmed.length < (opts.min ?? 1)) {
      this.errors.push(userError('VALIDATION', `${opts.label} is required`, field));
    } else if (value.length > opts.max) {
      this.errors.push(
        userError('VALIDATION', `${opts.label} must be at most ${opts.max} characters`, field),
      );
    }
    return this;
  }

  email(value: string, field: string[]): this {
    if (value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      this.errors.push(userError('VALIDATION', 'email is not a valid e-mail address', field));
    }
    return this;
  }

  that(ok: boolean, field: string[], message: string): this {
    if (!ok) this.errors.push(userError('VALIDATION', message, field));
    return this;
  }

  /** Throws all collected problems as userErrors. */
  done(): void {
    if (this.errors.length > 0) throw new UserErrorsException(this.errors);
  }
}

export function notFound(what: string, field: string[]): never {
  return fail('NOT_FOUND', `${what} was not found`, field);
}
