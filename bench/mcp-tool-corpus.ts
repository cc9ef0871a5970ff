/**
 * The tool corpus of bench/mcp-tool-index.ts: the reference MCP servers'
 * real tools (listed live by the caller) plus synthesised tools of the kind
 * MCP servers offer across many domains, generated deterministically from
 * a seed so every run indexes the same 1,000 descriptions.
 *
 *   npx tsx bench/mcp-tool-corpus.ts > /tmp/corpus.json   (prints the synthesised part)
 */
import type { IndexedTool } from '../src/mcp/index.js';

interface Entity {
  name: string;
  plural: string;
  /** Parameter names with descriptions. */
  fields: [string, string][];
}

interface Domain {
  server: string;
  product: string;
  scope: string;
  entities: Entity[];
  /** Domain verbs beyond CRUD: [verb, entity, description]. */
  actions: [string, string, string][];
}

const e = (name: string, plural: string, ...fields: [string, string][]): Entity => ({ name, plural, fields });

const DOMAINS: Domain[] = [
  {
    server: 'github',
    product: 'GitHub',
    scope: 'repository',
    entities: [
      e('issue', 'issues', ['title', 'Issue title'], ['body', 'Markdown body'], ['labels', 'Label names']),
      e(
        'pull request',
        'pull requests',
        ['head', 'Branch with the changes'],
        ['base', 'Branch to merge into'],
      ),
      e('repository', 'repositories', ['owner', 'User or organisation'], ['visibility', 'public or private']),
      e('release', 'releases', ['tag', 'Git tag'], ['notes', 'Release notes']),
      e('workflow run', 'workflow runs', ['workflow', 'Workflow file name'], ['branch', 'Branch name']),
    ],
    actions: [
      ['merge', 'pull request', 'Merge a pull request into its base branch (merge, squash or rebase).'],
      ['rerun', 'workflow run', 'Re-run the failed jobs of a GitHub Actions workflow run.'],
      ['star', 'repository', 'Star a repository for the authenticated user.'],
    ],
  },
  {
    server: 'gitlab',
    product: 'GitLab',
    scope: 'project',
    entities: [
      e(
        'merge request',
        'merge requests',
        ['source_branch', 'Source branch'],
        ['target_branch', 'Target branch'],
      ),
      e('pipeline', 'pipelines', ['ref', 'Branch or tag'], ['status', 'Pipeline status']),
      e('issue', 'issues', ['title', 'Title'], ['assignee', 'Assignee username']),
    ],
    actions: [['retry', 'pipeline', 'Retry the failed jobs of a GitLab CI pipeline.']],
  },
  {
    server: 'jira',
    product: 'Jira',
    scope: 'project',
    entities: [
      e(
        'issue',
        'issues',
        ['summary', 'One-line summary'],
        ['issue_type', 'Bug, Story or Task'],
        ['priority', 'Priority name'],
      ),
      e('sprint', 'sprints', ['board_id', 'Scrum board'], ['goal', 'Sprint goal']),
      e('comment', 'comments', ['issue_key', 'Issue key such as PROJ-12'], ['body', 'Comment text']),
    ],
    actions: [
      ['transition', 'issue', 'Move a Jira issue to another workflow status, such as In Progress or Done.'],
      ['assign', 'issue', 'Assign a Jira issue to a user.'],
    ],
  },
  {
    server: 'linear',
    product: 'Linear',
    scope: 'team',
    entities: [
      e('issue', 'issues', ['title', 'Title'], ['team_id', 'Team'], ['estimate', 'Story points']),
      e('cycle', 'cycles', ['team_id', 'Team'], ['starts_at', 'Start date']),
      e('project', 'projects', ['name', 'Project name'], ['lead', 'Project lead']),
    ],
    actions: [],
  },
  {
    server: 'slack',
    product: 'Slack',
    scope: 'workspace',
    entities: [
      e(
        'message',
        'messages',
        ['channel', 'Channel id or name'],
        ['text', 'Message text'],
        ['thread_ts', 'Thread to reply in'],
      ),
      e('channel', 'channels', ['name', 'Channel name'], ['is_private', 'Private channel']),
      e('user', 'users', ['email', 'Email address'], ['presence', 'active or away']),
      e('reminder', 'reminders', ['text', 'What to remind'], ['time', 'When']),
    ],
    actions: [
      ['post', 'message', 'Post a message to a Slack channel or thread.'],
      ['react', 'message', 'Add an emoji reaction to a Slack message.'],
      ['upload', 'file', 'Upload a file to a Slack channel.'],
    ],
  },
  {
    server: 'discord',
    product: 'Discord',
    scope: 'server',
    entities: [
      e('message', 'messages', ['channel_id', 'Channel'], ['content', 'Message content']),
      e('role', 'roles', ['guild_id', 'Server'], ['permissions', 'Permission bits']),
      e('member', 'members', ['guild_id', 'Server'], ['user_id', 'User']),
    ],
    actions: [['ban', 'member', 'Ban a member from a Discord server.']],
  },
  {
    server: 'gmail',
    product: 'Gmail',
    scope: 'mailbox',
    entities: [
      e('email', 'emails', ['to', 'Recipients'], ['subject', 'Subject line'], ['body', 'Message body']),
      e('draft', 'drafts', ['to', 'Recipients'], ['subject', 'Subject']),
      e('label', 'labels', ['name', 'Label name'], ['color', 'Label colour']),
    ],
    actions: [
      ['send', 'email', 'Send an email from the connected Gmail account.'],
      ['archive', 'email', 'Archive an email thread so it leaves the inbox.'],
    ],
  },
  {
    server: 'calendar',
    product: 'Google Calendar',
    scope: 'calendar',
    entities: [
      e(
        'event',
        'events',
        ['start', 'Start time (RFC 3339)'],
        ['end', 'End time'],
        ['attendees', 'Guest emails'],
      ),
      e('calendar', 'calendars', ['summary', 'Calendar name'], ['time_zone', 'IANA time zone']),
    ],
    actions: [
      ['find_free_time', 'slot', 'Find time slots when all the given people are free for a meeting.'],
      ['respond', 'event', 'Accept or decline a calendar invitation.'],
    ],
  },
  {
    server: 'notion',
    product: 'Notion',
    scope: 'workspace',
    entities: [
      e('page', 'pages', ['parent_id', 'Parent page or database'], ['title', 'Page title']),
      e('database', 'databases', ['title', 'Database title'], ['properties', 'Column definitions']),
      e('block', 'blocks', ['page_id', 'Page'], ['type', 'paragraph, heading, to_do...']),
    ],
    actions: [['query', 'database', 'Query a Notion database with filters and sorts.']],
  },
  {
    server: 'confluence',
    product: 'Confluence',
    scope: 'space',
    entities: [
      e('page', 'pages', ['space_key', 'Space key'], ['title', 'Title']),
      e('space', 'spaces', ['key', 'Space key'], ['name', 'Space name']),
    ],
    actions: [['export', 'page', 'Export a Confluence page as PDF.']],
  },
  {
    server: 'postgres',
    product: 'PostgreSQL',
    scope: 'database',
    entities: [
      e('table', 'tables', ['schema', 'Schema name'], ['name', 'Table name']),
      e('index', 'indexes', ['table', 'Table'], ['columns', 'Indexed columns']),
      e('role', 'roles', ['name', 'Role name'], ['login', 'Can log in']),
    ],
    actions: [
      ['query', 'sql', 'Run a read-only SQL query against the PostgreSQL database and return the rows.'],
      ['explain', 'query', 'Show the query plan PostgreSQL chooses for a SQL statement (EXPLAIN ANALYZE).'],
      ['describe', 'table', 'Describe the columns, types and constraints of a PostgreSQL table.'],
    ],
  },
  {
    server: 'mysql',
    product: 'MySQL',
    scope: 'database',
    entities: [
      e('table', 'tables', ['database', 'Database'], ['name', 'Table name']),
      e('user', 'users', ['host', 'Host pattern'], ['name', 'User name']),
    ],
    actions: [['execute', 'statement', 'Execute a SQL statement on the MySQL server.']],
  },
  {
    server: 'mongodb',
    product: 'MongoDB',
    scope: 'cluster',
    entities: [
      e('document', 'documents', ['collection', 'Collection'], ['filter', 'Query filter as JSON']),
      e('collection', 'collections', ['database', 'Database'], ['name', 'Collection name']),
    ],
    actions: [['aggregate', 'pipeline', 'Run an aggregation pipeline on a MongoDB collection.']],
  },
  {
    server: 'redis',
    product: 'Redis',
    scope: 'instance',
    entities: [e('key', 'keys', ['key', 'Key name'], ['ttl', 'Time to live in seconds'])],
    actions: [
      ['publish', 'message', 'Publish a message on a Redis pub/sub channel.'],
      ['flush', 'cache', 'Delete every key of the current Redis database.'],
    ],
  },
  {
    server: 'elasticsearch',
    product: 'Elasticsearch',
    scope: 'cluster',
    entities: [
      e('index', 'indices', ['name', 'Index name'], ['mappings', 'Field mappings']),
      e('document', 'documents', ['index', 'Index'], ['id', 'Document id']),
    ],
    actions: [
      [
        'cluster_health',
        'cluster',
        'Report the health of the Elasticsearch cluster: status, nodes and shards.',
      ],
    ],
  },
  {
    server: 'bigquery',
    product: 'BigQuery',
    scope: 'project',
    entities: [
      e('dataset', 'datasets', ['project', 'GCP project'], ['location', 'Region']),
      e('job', 'jobs', ['query', 'SQL'], ['dry_run', 'Estimate only']),
    ],
    actions: [
      ['run_query', 'query', 'Run a SQL query in BigQuery and return the result rows and bytes billed.'],
    ],
  },
  {
    server: 's3',
    product: 'Amazon S3',
    scope: 'account',
    entities: [
      e('bucket', 'buckets', ['name', 'Bucket name'], ['region', 'AWS region']),
      e('object', 'objects', ['bucket', 'Bucket'], ['key', 'Object key'], ['content_type', 'MIME type']),
    ],
    actions: [
      ['presign', 'url', 'Create a presigned URL to download an S3 object for a limited time.'],
      ['upload', 'object', 'Upload a local file to an S3 bucket.'],
    ],
  },
  {
    server: 'ec2',
    product: 'Amazon EC2',
    scope: 'region',
    entities: [
      e('instance', 'instances', ['instance_type', 'Such as t3.micro'], ['ami', 'Machine image']),
      e('security group', 'security groups', ['vpc_id', 'VPC'], ['rules', 'Ingress rules']),
      e('volume', 'volumes', ['size_gb', 'Size'], ['zone', 'Availability zone']),
    ],
    actions: [
      ['start', 'instance', 'Start a stopped EC2 instance.'],
      ['stop', 'instance', 'Stop a running EC2 instance.'],
    ],
  },
  {
    server: 'kubernetes',
    product: 'Kubernetes',
    scope: 'cluster',
    entities: [
      e('pod', 'pods', ['namespace', 'Namespace'], ['label_selector', 'Label selector']),
      e('deployment', 'deployments', ['namespace', 'Namespace'], ['replicas', 'Replica count']),
      e('service', 'services', ['namespace', 'Namespace'], ['port', 'Port']),
      e('config map', 'config maps', ['namespace', 'Namespace'], ['data', 'Key-value data']),
    ],
    actions: [
      ['logs', 'pod', 'Fetch the logs of a container in a Kubernetes pod.'],
      ['scale', 'deployment', 'Scale a Kubernetes deployment to a number of replicas.'],
      ['rollout_restart', 'deployment', 'Restart the pods of a deployment with a rolling update.'],
    ],
  },
  {
    server: 'docker',
    product: 'Docker',
    scope: 'host',
    entities: [
      e('container', 'containers', ['image', 'Image'], ['ports', 'Port mappings']),
      e('image', 'images', ['repository', 'Repository'], ['tag', 'Tag']),
      e('volume', 'volumes', ['name', 'Volume name'], ['driver', 'Driver']),
    ],
    actions: [
      ['exec', 'container', 'Run a command inside a running Docker container.'],
      ['build', 'image', 'Build a Docker image from a Dockerfile.'],
      ['prune', 'images', 'Remove dangling Docker images to free disk space.'],
    ],
  },
  {
    server: 'terraform',
    product: 'Terraform',
    scope: 'workspace',
    entities: [
      e('workspace', 'workspaces', ['name', 'Workspace'], ['vars', 'Variables']),
      e('state', 'states', ['workspace', 'Workspace'], ['resource', 'Resource address']),
    ],
    actions: [
      ['plan', 'changes', 'Show the changes Terraform would make to reach the configuration.'],
      ['apply', 'plan', 'Apply a Terraform plan to the infrastructure.'],
    ],
  },
  {
    server: 'sentry',
    product: 'Sentry',
    scope: 'organisation',
    entities: [
      e('issue', 'issues', ['project', 'Project slug'], ['query', 'Search query']),
      e('event', 'events', ['issue_id', 'Issue'], ['environment', 'Environment']),
      e('release', 'releases', ['version', 'Version'], ['projects', 'Projects']),
    ],
    actions: [['resolve', 'issue', 'Mark a Sentry error issue as resolved.']],
  },
  {
    server: 'datadog',
    product: 'Datadog',
    scope: 'account',
    entities: [
      e('monitor', 'monitors', ['query', 'Metric query'], ['threshold', 'Alert threshold']),
      e('dashboard', 'dashboards', ['title', 'Title'], ['widgets', 'Widgets']),
      e('incident', 'incidents', ['severity', 'SEV-1 to SEV-5'], ['title', 'Title']),
    ],
    actions: [
      ['query_metrics', 'metrics', 'Query Datadog time series metrics over a time range.'],
      ['mute', 'monitor', 'Mute a Datadog monitor for a while.'],
    ],
  },
  {
    server: 'pagerduty',
    product: 'PagerDuty',
    scope: 'account',
    entities: [
      e('incident', 'incidents', ['service_id', 'Service'], ['urgency', 'high or low']),
      e('schedule', 'schedules', ['time_zone', 'Time zone'], ['layers', 'Rotation layers']),
    ],
    actions: [
      ['acknowledge', 'incident', 'Acknowledge a PagerDuty incident so escalation stops.'],
      ['who_is_on_call', 'schedule', 'Tell who is on call now for a PagerDuty schedule.'],
    ],
  },
  {
    server: 'stripe',
    product: 'Stripe',
    scope: 'account',
    entities: [
      e('customer', 'customers', ['email', 'Email'], ['name', 'Name']),
      e('invoice', 'invoices', ['customer', 'Customer id'], ['due_date', 'Due date']),
      e('subscription', 'subscriptions', ['customer', 'Customer'], ['price', 'Price id']),
      e('payment intent', 'payment intents', ['amount', 'Amount in cents'], ['currency', 'Currency']),
    ],
    actions: [
      ['refund', 'charge', 'Refund a Stripe charge, in full or in part.'],
      ['cancel', 'subscription', 'Cancel a Stripe subscription at period end or now.'],
    ],
  },
  {
    server: 'shopify',
    product: 'Shopify',
    scope: 'store',
    entities: [
      e('product', 'products', ['title', 'Title'], ['price', 'Price']),
      e('order', 'orders', ['status', 'Order status'], ['customer', 'Customer']),
      e('inventory level', 'inventory levels', ['location_id', 'Location'], ['available', 'Units available']),
    ],
    actions: [['fulfill', 'order', 'Mark a Shopify order as fulfilled with a tracking number.']],
  },
  {
    server: 'salesforce',
    product: 'Salesforce',
    scope: 'org',
    entities: [
      e('lead', 'leads', ['company', 'Company'], ['status', 'Lead status']),
      e('opportunity', 'opportunities', ['amount', 'Deal size'], ['stage', 'Sales stage']),
      e('account', 'accounts', ['industry', 'Industry'], ['owner', 'Owner']),
    ],
    actions: [
      ['run_soql', 'query', 'Run a SOQL query against Salesforce objects.'],
      ['convert', 'lead', 'Convert a Salesforce lead into an account, contact and opportunity.'],
    ],
  },
  {
    server: 'hubspot',
    product: 'HubSpot',
    scope: 'portal',
    entities: [
      e('contact', 'contacts', ['email', 'Email'], ['lifecycle_stage', 'Lifecycle stage']),
      e('deal', 'deals', ['amount', 'Amount'], ['pipeline', 'Pipeline']),
    ],
    actions: [],
  },
  {
    server: 'zendesk',
    product: 'Zendesk',
    scope: 'help desk',
    entities: [
      e(
        'ticket',
        'tickets',
        ['subject', 'Subject'],
        ['requester', 'Requester email'],
        ['priority', 'Priority'],
      ),
      e('macro', 'macros', ['title', 'Title'], ['actions', 'Actions']),
    ],
    actions: [
      ['reply', 'ticket', 'Reply publicly to the requester of a Zendesk support ticket.'],
      ['escalate', 'ticket', 'Escalate a Zendesk ticket to the tier-2 support group.'],
    ],
  },
  {
    server: 'twilio',
    product: 'Twilio',
    scope: 'account',
    entities: [
      e('sms', 'sms messages', ['to', 'Phone number'], ['body', 'Text']),
      e('call', 'calls', ['to', 'Phone number'], ['twiml', 'Call instructions']),
    ],
    actions: [['send_sms', 'sms', 'Send a text message (SMS) to a phone number with Twilio.']],
  },
  {
    server: 'spotify',
    product: 'Spotify',
    scope: 'library',
    entities: [
      e('playlist', 'playlists', ['name', 'Playlist name'], ['public', 'Public playlist']),
      e('track', 'tracks', ['artist', 'Artist'], ['album', 'Album']),
    ],
    actions: [
      ['play', 'track', 'Start playing a track on the active Spotify device.'],
      ['skip', 'track', 'Skip to the next track.'],
    ],
  },
  {
    server: 'youtube',
    product: 'YouTube',
    scope: 'channel',
    entities: [
      e('video', 'videos', ['title', 'Title'], ['privacy', 'public, unlisted or private']),
      e('comment', 'comments', ['video_id', 'Video'], ['text', 'Comment']),
    ],
    actions: [['transcript', 'video', 'Get the transcript (captions) of a YouTube video.']],
  },
  {
    server: 'weather',
    product: 'OpenWeather',
    scope: 'location',
    entities: [
      e(
        'forecast',
        'forecasts',
        ['city', 'City name'],
        ['days', 'Days ahead'],
        ['units', 'metric or imperial'],
      ),
      e('alert', 'alerts', ['lat', 'Latitude'], ['lon', 'Longitude']),
    ],
    actions: [
      ['current', 'weather', 'Get the current weather conditions (temperature, wind, humidity) for a city.'],
      ['air_quality', 'location', 'Get the air quality index and pollutant levels for a place.'],
    ],
  },
  {
    server: 'maps',
    product: 'Google Maps',
    scope: 'map',
    entities: [e('place', 'places', ['query', 'What to find'], ['near', 'Location'])],
    actions: [
      ['geocode', 'address', 'Turn a street address into latitude and longitude coordinates.'],
      [
        'directions',
        'route',
        'Get driving, walking or transit directions between two places, with travel time.',
      ],
      [
        'distance_matrix',
        'route',
        'Compute travel distances and times between many origins and destinations.',
      ],
    ],
  },
  {
    server: 'translate',
    product: 'DeepL',
    scope: 'account',
    entities: [e('glossary', 'glossaries', ['source_lang', 'Source language'], ['entries', 'Term pairs'])],
    actions: [
      ['translate_text', 'text', 'Translate text into another language.'],
      ['detect_language', 'text', 'Detect which language a text is written in.'],
    ],
  },
  {
    server: 'pdf',
    product: 'PDF tools',
    scope: 'file',
    entities: [e('document', 'documents', ['path', 'PDF file'], ['pages', 'Page range'])],
    actions: [
      ['extract_text', 'document', 'Extract the text of a PDF file, page by page.'],
      ['merge', 'documents', 'Merge several PDF files into one.'],
      ['fill_form', 'document', 'Fill in the form fields of a PDF.'],
    ],
  },
  {
    server: 'image',
    product: 'image tools',
    scope: 'file',
    entities: [e('image', 'images', ['path', 'Image file'], ['format', 'png, jpeg or webp'])],
    actions: [
      ['resize', 'image', 'Resize an image to a width and height.'],
      ['ocr', 'image', 'Recognise the text in an image (OCR).'],
      ['convert', 'image', 'Convert an image to another format.'],
    ],
  },
  {
    server: 'git',
    product: 'git',
    scope: 'local repository',
    entities: [
      e('branch', 'branches', ['name', 'Branch name'], ['start_point', 'Commit to start from']),
      e('commit', 'commits', ['message', 'Commit message'], ['paths', 'Files to include']),
      e('tag', 'tags', ['name', 'Tag'], ['commit', 'Commit']),
    ],
    actions: [
      ['diff', 'changes', 'Show the diff of uncommitted changes in the local git repository.'],
      ['blame', 'file', 'Show who last changed each line of a file (git blame).'],
      ['log', 'history', 'Show the commit history of the repository or of one file.'],
    ],
  },
  {
    server: 'npm',
    product: 'npm registry',
    scope: 'registry',
    entities: [e('package', 'packages', ['name', 'Package name'], ['version', 'Version range'])],
    actions: [
      ['audit', 'dependencies', 'Report known vulnerabilities in the project dependencies (npm audit).'],
      ['outdated', 'dependencies', 'List dependencies that have newer versions.'],
    ],
  },
  {
    server: 'search',
    product: 'web search',
    scope: 'web',
    entities: [e('result', 'results', ['query', 'Search query'], ['count', 'How many'])],
    actions: [
      ['web_search', 'web', 'Search the web and return titles, URLs and snippets.'],
      ['news_search', 'news', 'Search recent news articles about a topic.'],
      ['fetch_page', 'url', 'Download a web page and return its readable text as Markdown.'],
    ],
  },
  {
    server: 'wikipedia',
    product: 'Wikipedia',
    scope: 'encyclopedia',
    entities: [e('article', 'articles', ['title', 'Article title'], ['lang', 'Language edition'])],
    actions: [['summary', 'article', 'Get the lead summary of a Wikipedia article.']],
  },
  {
    server: 'finance',
    product: 'market data',
    scope: 'market',
    entities: [e('quote', 'quotes', ['symbol', 'Ticker symbol'], ['exchange', 'Exchange'])],
    actions: [
      ['stock_price', 'quote', 'Get the latest stock price and daily change for a ticker symbol.'],
      [
        'convert_currency',
        'amount',
        'Convert an amount of money between currencies at the current exchange rate.',
      ],
      ['crypto_price', 'coin', 'Get the current price of a cryptocurrency such as Bitcoin.'],
    ],
  },
  {
    server: 'homeassistant',
    product: 'Home Assistant',
    scope: 'home',
    entities: [
      e('device', 'devices', ['area', 'Room'], ['domain', 'light, switch, climate...']),
      e('automation', 'automations', ['trigger', 'Trigger'], ['action', 'Action']),
    ],
    actions: [
      ['turn_on', 'light', 'Turn on a light, optionally with brightness and colour.'],
      ['set_temperature', 'thermostat', 'Set the target temperature of a thermostat.'],
    ],
  },
  {
    server: 'figma',
    product: 'Figma',
    scope: 'team',
    entities: [
      e('file', 'files', ['file_key', 'File key'], ['version', 'Version']),
      e('comment', 'comments', ['file_key', 'File'], ['message', 'Comment']),
    ],
    actions: [['export_images', 'frame', 'Export frames of a Figma file as PNG or SVG images.']],
  },
  {
    server: 'airtable',
    product: 'Airtable',
    scope: 'base',
    entities: [
      e('record', 'records', ['table', 'Table'], ['fields', 'Field values']),
      e('table', 'tables', ['base_id', 'Base'], ['name', 'Name']),
    ],
    actions: [],
  },
  {
    server: 'sheets',
    product: 'Google Sheets',
    scope: 'spreadsheet',
    entities: [
      e('spreadsheet', 'spreadsheets', ['title', 'Title'], ['sheets', 'Sheet names']),
      e('range', 'ranges', ['range', 'A1 notation'], ['values', 'Cell values']),
    ],
    actions: [['append_rows', 'range', 'Append rows of values to the end of a Google Sheets table.']],
  },
  {
    server: 'drive',
    product: 'Google Drive',
    scope: 'drive',
    entities: [
      e('file', 'files', ['name', 'File name'], ['mime_type', 'MIME type'], ['folder_id', 'Folder']),
      e('permission', 'permissions', ['email', 'Who'], ['role', 'reader, commenter or writer']),
    ],
    actions: [['share', 'file', 'Share a Google Drive file with someone by email.']],
  },
  {
    server: 'dropbox',
    product: 'Dropbox',
    scope: 'account',
    entities: [
      e('file', 'files', ['path', 'Dropbox path'], ['mode', 'add or overwrite']),
      e('shared link', 'shared links', ['path', 'Path'], ['expires', 'Expiry']),
    ],
    actions: [],
  },
  {
    server: 'trello',
    product: 'Trello',
    scope: 'board',
    entities: [
      e('card', 'cards', ['list_id', 'List'], ['name', 'Card title'], ['due', 'Due date']),
      e('list', 'lists', ['board_id', 'Board'], ['name', 'Name']),
    ],
    actions: [['move', 'card', 'Move a Trello card to another list.']],
  },
  {
    server: 'asana',
    product: 'Asana',
    scope: 'workspace',
    entities: [
      e('task', 'tasks', ['name', 'Task name'], ['assignee', 'Assignee'], ['due_on', 'Due date']),
      e('project', 'projects', ['name', 'Name'], ['team', 'Team']),
    ],
    actions: [['complete', 'task', 'Mark an Asana task as complete.']],
  },
  {
    server: 'zoom',
    product: 'Zoom',
    scope: 'account',
    entities: [
      e('meeting', 'meetings', ['topic', 'Topic'], ['start_time', 'Start time'], ['duration', 'Minutes']),
      e('recording', 'recordings', ['meeting_id', 'Meeting'], ['from', 'Since']),
    ],
    actions: [],
  },
  {
    server: 'cloudflare',
    product: 'Cloudflare',
    scope: 'zone',
    entities: [
      e(
        'dns record',
        'dns records',
        ['type', 'A, AAAA, CNAME, TXT...'],
        ['content', 'Value'],
        ['ttl', 'TTL'],
      ),
      e('worker', 'workers', ['script', 'Script'], ['routes', 'Routes']),
    ],
    actions: [['purge_cache', 'cache', 'Purge cached files from the Cloudflare CDN.']],
  },
  {
    server: 'vercel',
    product: 'Vercel',
    scope: 'team',
    entities: [
      e('deployment', 'deployments', ['project', 'Project'], ['target', 'production or preview']),
      e('env var', 'env vars', ['key', 'Name'], ['value', 'Value']),
    ],
    actions: [['promote', 'deployment', 'Promote a Vercel preview deployment to production.']],
  },
  {
    server: 'arxiv',
    product: 'arXiv',
    scope: 'archive',
    entities: [e('paper', 'papers', ['query', 'Search query'], ['category', 'Category such as cs.AI'])],
    actions: [['download_pdf', 'paper', 'Download the PDF of an arXiv paper by id.']],
  },
  {
    server: 'jenkins',
    product: 'Jenkins',
    scope: 'server',
    entities: [
      e('job', 'jobs', ['name', 'Job name'], ['parameters', 'Build parameters']),
      e('build', 'builds', ['job', 'Job'], ['number', 'Build number']),
    ],
    actions: [
      ['trigger', 'build', 'Trigger a new Jenkins build of a job.'],
      ['console', 'build', 'Get the console output of a Jenkins build.'],
    ],
  },
  {
    server: 'bitbucket',
    product: 'Bitbucket',
    scope: 'workspace',
    entities: [
      e('pull request', 'pull requests', ['source', 'Source branch'], ['destination', 'Destination branch']),
      e('repository', 'repositories', ['workspace', 'Workspace'], ['is_private', 'Private']),
      e('pipeline', 'pipelines', ['target', 'Branch'], ['variables', 'Variables']),
    ],
    actions: [['approve', 'pull request', 'Approve a Bitbucket pull request.']],
  },
  {
    server: 'teams',
    product: 'Microsoft Teams',
    scope: 'tenant',
    entities: [
      e('message', 'messages', ['channel_id', 'Channel'], ['content', 'Message HTML']),
      e('channel', 'channels', ['team_id', 'Team'], ['display_name', 'Name']),
      e('team', 'teams', ['display_name', 'Name'], ['visibility', 'public or private']),
    ],
    actions: [],
  },
  {
    server: 'outlook',
    product: 'Outlook',
    scope: 'mailbox',
    entities: [
      e('mail', 'mails', ['to', 'Recipients'], ['subject', 'Subject']),
      e('contact', 'contacts', ['email', 'Email'], ['display_name', 'Name']),
      e('folder', 'folders', ['name', 'Folder name'], ['parent', 'Parent folder']),
    ],
    actions: [['send', 'mail', 'Send an email from the Outlook mailbox.']],
  },
  {
    server: 'gcs',
    product: 'Google Cloud Storage',
    scope: 'project',
    entities: [
      e('bucket', 'buckets', ['name', 'Bucket'], ['location', 'Location']),
      e('blob', 'blobs', ['bucket', 'Bucket'], ['name', 'Object name']),
    ],
    actions: [],
  },
  {
    server: 'azuredevops',
    product: 'Azure DevOps',
    scope: 'organisation',
    entities: [
      e('work item', 'work items', ['type', 'Bug, Task, User Story'], ['title', 'Title']),
      e('pipeline', 'pipelines', ['project', 'Project'], ['branch', 'Branch']),
      e('repository', 'repositories', ['project', 'Project'], ['name', 'Name']),
    ],
    actions: [],
  },
  {
    server: 'mailchimp',
    product: 'Mailchimp',
    scope: 'account',
    entities: [
      e('campaign', 'campaigns', ['subject', 'Subject line'], ['list_id', 'Audience']),
      e('audience', 'audiences', ['name', 'Name'], ['from_email', 'Sender']),
      e('subscriber', 'subscribers', ['email', 'Email'], ['status', 'subscribed or unsubscribed']),
    ],
    actions: [['schedule', 'campaign', 'Schedule a Mailchimp email campaign to be sent later.']],
  },
  {
    server: 'grafana',
    product: 'Grafana',
    scope: 'organisation',
    entities: [
      e('dashboard', 'dashboards', ['title', 'Title'], ['folder', 'Folder']),
      e('alert rule', 'alert rules', ['condition', 'Alert condition'], ['for', 'Pending period']),
      e('datasource', 'datasources', ['type', 'prometheus, loki...'], ['url', 'URL']),
    ],
    actions: [['render_panel', 'panel', 'Render a Grafana dashboard panel as a PNG image.']],
  },
  {
    server: 'okta',
    product: 'Okta',
    scope: 'organisation',
    entities: [
      e('user', 'users', ['login', 'Login'], ['status', 'ACTIVE, SUSPENDED...']),
      e('group', 'groups', ['name', 'Group name'], ['description', 'Description']),
      e('application', 'applications', ['label', 'Label'], ['sign_on_mode', 'SAML or OIDC']),
    ],
    actions: [
      ['reset_password', 'user', 'Send an Okta user a password reset link.'],
      ['suspend', 'user', 'Suspend an Okta user account.'],
    ],
  },
];

const VERBS = ['list', 'get', 'create', 'update', 'delete', 'search'] as const;
type Verb = (typeof VERBS)[number];

const TEMPLATES: Record<Verb, string[]> = {
  list: [
    'List {plural} in {product}.',
    'Returns the {plural} of a {product} {scope}, paginated.',
    'Get a page of {plural} from {product}, optionally filtered by {field}.',
  ],
  get: [
    'Get one {entity} from {product} by its id.',
    'Fetch the details of a {product} {entity}, including {field}.',
    'Retrieve a single {entity} of the {product} {scope}.',
  ],
  create: [
    'Create a new {entity} in {product}.',
    'Add a {entity} to the {product} {scope} with the given {field}.',
    'Creates a {product} {entity} and returns its id.',
  ],
  update: [
    'Update the fields of an existing {product} {entity}.',
    'Change the {field} of a {entity} in {product}.',
    'Edit a {entity} in the {product} {scope}.',
  ],
  delete: [
    'Delete a {entity} from {product}. This cannot be undone.',
    'Permanently remove a {product} {entity}.',
    'Deletes the given {entity} of the {product} {scope}.',
  ],
  search: [
    'Search {plural} in {product} by keyword.',
    'Find {product} {plural} matching a query on {field}.',
    'Full-text search over the {plural} of a {product} {scope}.',
  ],
};

/** mulberry32: a small seeded generator, so the corpus is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snake = (words: string) => words.toLowerCase().replace(/[^a-z0-9]+/g, '_');
const camel = (words: string) => snake(words).replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const kebab = (words: string) => snake(words).replace(/_/g, '-');

/** Every tool the domains can make: CRUD and search per entity, plus each domain's own actions. */
function candidates(random: () => number): IndexedTool[] {
  const tools: IndexedTool[] = [];
  for (const d of DOMAINS) {
    const style = [snake, camel, kebab][Math.floor(random() * 3)]!;
    for (const entity of d.entities) {
      for (const verb of VERBS) {
        const words =
          verb === 'list' || verb === 'search' ? `${verb} ${entity.plural}` : `${verb} ${entity.name}`;
        const [field] = entity.fields[Math.floor(random() * entity.fields.length)]!;
        const template = TEMPLATES[verb][Math.floor(random() * TEMPLATES[verb].length)]!;
        const description = template
          .replaceAll('{plural}', entity.plural)
          .replaceAll('{entity}', entity.name)
          .replaceAll('{product}', d.product)
          .replaceAll('{scope}', d.scope)
          .replaceAll('{field}', field.replaceAll('_', ' '))
          .replace(/\ba ([AEIOU])/g, 'an $1');
        const properties: Record<string, { type: string; description: string }> = {};
        if (verb === 'get' || verb === 'update' || verb === 'delete')
          properties.id = { type: 'string', description: `The ${entity.name} id` };
        if (verb === 'search') properties.query = { type: 'string', description: 'Search terms' };
        if (verb === 'list') properties.limit = { type: 'number', description: 'Page size' };
        if (verb === 'create' || verb === 'update')
          for (const [name, text] of entity.fields) properties[name] = { type: 'string', description: text };
        tools.push({
          name: `${d.server}__${style(words)}`,
          server: d.server,
          description,
          inputSchema: { type: 'object', properties },
        });
      }
    }
    for (const [verb, entity, description] of d.actions) {
      const words = verb.includes('_') ? verb.replaceAll('_', ' ') : `${verb} ${entity}`;
      tools.push({
        name: `${d.server}__${style(words)}`,
        server: d.server,
        description,
        inputSchema: {
          type: 'object',
          properties: { [snake(entity)]: { type: 'string', description: `The ${entity}` } },
        },
      });
    }
  }
  return tools;
}

/**
 * `count` synthesised tools drawn without replacement, by the seeded
 * generator, from everything the domains can make. Names are unique.
 */
export function synthesiseTools(count: number, seed = 8): IndexedTool[] {
  const random = rng(seed);
  const all = candidates(random);
  const unique = [...new Map(all.map((t) => [t.name, t])).values()];
  if (unique.length < count)
    throw new Error(`the domains make only ${unique.length} tools, fewer than ${count}`);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  return unique.slice(0, count);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 964);
  process.stdout.write(`${JSON.stringify(synthesiseTools(n), null, 1)}\n`);
}
