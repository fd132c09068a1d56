// Named checks: each prints "ok" or "not ok" with its reason; the run ends with the totals.
let passed = 0;
let failed = 0;
export function check(name, fn) {
  try {
    fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(
      `not ok - ${name}\n  ${String(err instanceof Error ? err.message : err).replace(/\n/g, '\n  ')}`,
    );
  }
}
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Prints "<label>: N passed, N failed" and returns the exit status. */
export function summary(label) {
  console.log(`\n${label}: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
