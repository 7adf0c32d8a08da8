import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const TRASH_TYPES = ['goal', 'session', 'activity', 'template', 'activityGroup'] as const;
export type TrashType = (typeof TRASH_TYPES)[number];

/** One deletion: what the trash lists, and what POST /trash/:deletionId/restore brings back. */
export class TrashItemView {
  @ApiProperty({ format: 'uuid' })
  deletionId!: string;

  @ApiProperty({ enum: TRASH_TYPES })
  type!: TrashType;

  @ApiProperty({ format: 'uuid', description: 'The top item of the deletion: the goal, session, activity, template or group deleted' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'date-time' })
  deletedAt!: string;

  @ApiProperty({ description: 'Rows the deletion took, per table (table name: count)', type: 'object', additionalProperties: { type: 'integer' } })
  rows!: Record<string, number>;

  @ApiProperty({ description: 'Every row the deletion took' })
  totalRows!: number;
}

export class TrashRestoreView {
  @ApiProperty({ format: 'uuid' })
  deletionId!: string;

  @ApiProperty({ enum: TRASH_TYPES })
  type!: TrashType;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'What the owning feature brought back, by kind of row', type: 'object', additionalProperties: { type: 'integer' } })
  restored!: Record<string, number>;

  @ApiPropertyOptional({ description: "The restored item, as its feature's routes answer it", type: 'object', additionalProperties: true })
  item!: unknown;
}
