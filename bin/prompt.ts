import { createInterface } from 'node:readline';

let pipedLines: AsyncIterator<string> | undefined;

/** The next line of a piped stdin (shared across questions: the email, then the password). */
async function nextPipedLine(): Promise<string> {
  pipedLines ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
  const { value, done } = await pipedLines.next();
  if (done) throw new Error('no answer: stdin ended');
  return String(value).trim();
}

/**
 * Asks a question on the terminal. With `secret`, what is typed is not echoed. When stdin is not
 * a terminal (a script, a pipe), the answer is the next line of stdin and no prompt is shown.
 */
export function ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
  if (process.stdin.isTTY !== true) return nextPipedLine();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (options.secret) {
    // readline echoes through _writeToOutput; printing only the prompt hides the answer.
    const writable = rl as unknown as {
      _writeToOutput: (text: string) => void;
      output: NodeJS.WritableStream;
    };
    writable._writeToOutput = (text: string) => {
      if (text.startsWith(question)) writable.output.write(question);
    };
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.once('close', () => {
      if (!answered) reject(new Error('no answer: input closed'));
    });
    rl.question(question, (answer) => {
      answered = true;
      if (options.secret) process.stderr.write('\n');
      rl.close();
      resolve(answer.trim());
    });
  });
}
