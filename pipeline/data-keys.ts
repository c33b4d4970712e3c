// Keys that come from data (image keys and references, host names, package names, CVE ids) are
// looked up as own keys only, and stored in objects without a prototype. On a plain object,
// "constructor" is found for every key that was never stored, and storing "__proto__" replaces
// the object's prototype instead of adding a key.

/** The value stored under `key` itself; never one every object inherits ("constructor"). */
export function ownValue<V>(
  record: Readonly<Record<string, V>> | undefined,
  key: string,
): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A record for keys from data (empty, or of `entries`): it inherits nothing, and "__proto__" is a
 * key like any other.
 */
export function createDataRecord<V>(
  entries: Iterable<readonly [string, V]> = [],
): Record<string, V> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}
