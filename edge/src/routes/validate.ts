import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors';

/** zod validation whose failures use the API's error envelope and name the offending field. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || target;
      throw new ApiError(400, 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`, {
        field,
        issues: result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
  });
