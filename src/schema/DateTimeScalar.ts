import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

// ISO strings of instants serialized lately, by epoch milliseconds: a viewStats page repeats the
// same 30 bucket starts for each of its 100 articles.
const recentStrings = new Map<number, string>();
const recentLimit = 4096;

/**
 * graphql-scalars' DateTime (the contract's), answering ISO 8601 strings instead of Date objects.
 * Its serialize hands back a Date, which JSON.stringify then converts through toJSON one by one:
 * on a viewStats page of 3,000 points that was most of the request's CPU (README "Performance").
 * Parsing, validation and the description are graphql-scalars' own.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value: unknown): string {
    const date = DateTimeResolver.serialize(value) as Date | string;
    if (typeof date === 'string') return date;
    const time = date.getTime();
    let text = recentStrings.get(time);
    if (text === undefined) {
      text = date.toISOString();
      if (recentStrings.size >= recentLimit) recentStrings.clear();
      recentStrings.set(time, text);
    }
    return text;
  },
});
