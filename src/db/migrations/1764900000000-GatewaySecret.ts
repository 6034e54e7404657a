import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets the gateway makes for itself where the operator gave none (outside production): the
 * preview-link key. Kept in the database so that it survives restarts and every replica on the
 * same database signs and checks links with the same key (README "Preview").
 */
export class GatewaySecret1764900000000 implements MigrationInterface {
  name = 'GatewaySecret1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway_secret (
      name varchar(50) PRIMARY KEY,
      value varchar(200) NOT NULL,
      created_at bigint NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE gateway_secret');
  }
}
