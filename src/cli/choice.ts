import { InvalidArgumentError, Option } from 'commander';
import { nearestValues } from '../core/suggest.js';

/**
 * An option whose value is one of a fixed set. The set is kept on the option (`argChoices`), so help, the man page
 * and the shell completions offer exactly the values the command accepts; a wrong value is refused while parsing
 * with the nearest allowed one suggested (`--format nft`: did you mean nftables?).
 */
export function choiceOption(
  flags: string,
  description: string,
  values: readonly string[],
  opts: { default?: string; ignoreCase?: boolean; collect?: (value: string, previous: unknown) => unknown } = {},
): Option {
  const option = new Option(flags, description);
  option.argChoices = [...values];
  option.argParser((raw: string, previous: unknown) => {
    const hit = values.find((v) => (opts.ignoreCase ? v.toLowerCase() === raw.toLowerCase() : v === raw));
    if (hit === undefined) {
      const near = nearestValues(raw, values);
      throw new InvalidArgumentError(near.length > 0 ? `did you mean ${near.join(' or ')}? (use one of ${values.join(', ')})` : `use one of ${values.join(', ')}`);
    }
    return opts.collect ? opts.collect(raw, previous) : raw;
  });
  if (opts.default !== undefined) option.default(opts.default);
  return option;
}
