import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.js';

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() emailSent!: boolean;
  @ApiProperty() confirmed!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) emailSentAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why sending failed for good, or null' })
  emailError!: string | null;

  static from(user: User): AdminUserDto {
    const { id, email, emailSent, confirmed, createdAt, emailSentAt, confirmedAt, emailError } = user;
    return { id, email, emailSent, confirmed, createdAt, emailSentAt, confirmedAt, emailError };
  }
}
