import { ApiProperty } from '@nestjs/swagger';
import { ActivityGroup } from './activity-group.entity';

export class ActivityGroupView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The group it nests in; null at the top level.' })
  parentId: string | null;

  @ApiProperty({ description: 'Its place among the groups of its parent (PUT /activity-groups/order).' })
  sortOrder: number;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  @ApiProperty({ description: 'Goes up by one on every change; the ETag.' })
  version: number;
}

export function toActivityGroupView(group: ActivityGroup): ActivityGroupView {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    parentId: group.parentId,
    sortOrder: group.sortOrder,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    version: group.version,
  };
}
