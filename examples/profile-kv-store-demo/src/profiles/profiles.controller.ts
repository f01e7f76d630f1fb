import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { Public } from '@toskamesh/runtime';
import type { Response } from 'express';
import { parseProfileId, parseProfileInput } from './parse-profile.js';
import type { Profile } from './profile.js';
import { ProfileRepository } from './profile.repository.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** The original demo's profile API; public so `curl` works in the local mesh. */
@Public()
@Controller('profiles')
export class ProfilesController {
  constructor(private readonly profiles: ProfileRepository) {}

  @Get()
  async list(@Query('limit') rawLimit?: string): Promise<{ count: number; profiles: Profile[] }> {
    const parsed = Number.parseInt(rawLimit ?? '', 10);
    const limit = Number.isNaN(parsed) ? DEFAULT_LIMIT : Math.min(MAX_LIMIT, Math.max(1, parsed));
    const profiles = await this.profiles.list(limit);
    return { count: profiles.length, profiles };
  }

  @Get(':id')
  async find(@Param('id') rawId: string): Promise<Profile> {
    const id = parseProfileId(rawId);
    const profile = await this.profiles.find(id);
    if (!profile) throw new NotFoundException(`No profile with id "${id}"`);
    return profile;
  }

  /** Creates (201) or updates (200) a profile; `createdUtc` survives updates. */
  @Put(':id')
  async upsert(
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Profile> {
    const id = parseProfileId(rawId);
    const input = parseProfileInput(body);
    const existing = await this.profiles.find(id);
    const now = new Date().toISOString();
    const profile: Profile = { id, ...input, createdUtc: existing?.createdUtc ?? now, updatedUtc: now };
    await this.profiles.save(profile);
    response.status(existing ? 200 : 201);
    return profile;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') rawId: string): Promise<void> {
    const id = parseProfileId(rawId);
    if (!(await this.profiles.find(id))) throw new NotFoundException(`No profile with id "${id}"`);
    await this.profiles.remove(id);
  }
}
