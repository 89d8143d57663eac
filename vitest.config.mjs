// Timeouts here catch a test that hangs, not a slow one: speed is measured by `npm run bench`, and a
// loaded CI runner can take twice a test's usual time (a 3 s test of 20 CLI runs went past vitest's
// 5 s default on a busy machine).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 60_000,
  },
});
