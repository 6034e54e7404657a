/**
 * Runs a command's main function and exits with the code it returns; an unexpected error prints
 * its message (not its stack: the commands report their own problems) and exits 1.
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    code => process.exit(code),
    error => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
