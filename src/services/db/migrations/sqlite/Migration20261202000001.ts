import { Migration } from '@mikro-orm/migrations';

/**
 * What a session records of its agent: the profile it ran, its mode, the harness's own session id,
 * the session it resumed, its outcome, its usage (turns, tool calls, tokens, cost) and its result.
 */
export class Migration20261202000001 extends Migration {
  override async up(): Promise<void> {
    for (const column of [
      "`agent` text not null default ''",
      "`mode` text not null default 'headless'",
      "`harness_session_id` text not null default ''",
      "`resumed_from` text not null default ''",
      "`outcome` text not null default ''",
      "`usage` json not null default '{}'",
      "`result_text` text not null default ''",
      '`usage_limit` json null',
      '`paused_until` integer null',
      '`resumes` integer not null default 0',
    ]) {
      this.addSql(`alter table \`sessions\` add column ${column};`);
    }
  }
}
