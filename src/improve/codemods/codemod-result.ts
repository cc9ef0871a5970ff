/** What a codemod changed, in the shape of a skill's outcome: the files, and the commit message saying what and why. */
export interface CodemodResult {
  changedFiles: string[];
  title: string;
  body: string;
}
