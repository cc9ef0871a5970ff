import type { Command } from 'commander';
import { runAction } from './action.js';
import { nonNegativeNumber } from './option-parsers.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const sharedOptions = (cmd: Command) =>
  cmd
    .option(
      '--project <dir>',
      'the target project: ranks papers, receives data/research/ and improvements.md',
      '.',
    )
    .option('--top <n>', 'new papers kept per run, best first (default 10)', nonNegativeNumber)
    .option('--limit <n>', 'most papers read from one query (default 100)', nonNegativeNumber)
    .option(
      '-m, --model <ref>',
      'model for structured summaries (default: research.model, then defaultModel)',
    )
    .option('--agent <name>', 'summariser agent (default research-summariser)')
    .option('--agents <dir>', 'manifest directory (default ./agents; else the packaged examples)')
    .option('--api-base <url>', 'arXiv API endpoint (default https://export.arxiv.org/api/query)')
    .option('--interval <seconds>', 'least time between two requests to arXiv (default 3)', nonNegativeNumber)
    .option('--json', 'print the report as JSON');

/** `swarm research` and `swarm research watch`. */
export function registerResearch(program: Command, globals: () => { config?: string }): void {
  const research = sharedOptions(
    program
      .command('research')
      .description(
        'read arXiv papers, rank them against a project, summarise them into data/research/ and propose improvements',
      )
      .option('-q, --query <query>', 'an arXiv search query, e.g. "all:agent AND cat:cs.SE"')
      .option('--category <cat>', "a category's newest submissions, like /list/<cat>/recent (e.g. cs.AI)")
      .option('--ids <ids...>', 'arXiv ids, e.g. 2202.12139 cond-mat/0603029v1')
      .option('--url <url>', 'a listing, abstract, PDF or API URL (repeatable)', collect)
      .option('--file <feed.xml>', 'a saved arXiv Atom response (repeatable; no network)', collect),
  )
    .addHelpText(
      'after',
      `
Without a source, the new arXiv links in improvements.md are processed.

Examples:
  $ swarm research --category cs.AI --top 5
  $ swarm research --url https://arxiv.org/list/cs.SE/recent --project ../my-repo
  $ swarm research --file saved-feed.xml --json
  $ swarm research --ids 2202.12139 --model local`,
    )
    .action((opts) =>
      runAction(async () => (await import('./commands/research.js')).research({ ...globals(), ...opts })),
    );
  // options before or after `watch` are the parent's (commander reads them wherever they appear)
  research
    .command('watch')
    .description('watch improvements.md and process each new arXiv link once, until Ctrl-C')
    .option('--debounce <ms>', 'quiet time after a change before a run (default 500)', nonNegativeNumber)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', '\nExample:\n  $ swarm research watch --project ../my-repo --top 3')
    .action((_opts, cmd: Command) =>
      runAction(async () =>
        (await import('./commands/research.js')).researchWatch({ ...globals(), ...cmd.optsWithGlobals() }),
      ),
    );
}
