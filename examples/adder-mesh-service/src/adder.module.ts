import { Module } from '@nestjs/common';
import { AdderController } from './adder.controller.js';

/** The adder service's own code; the mesh runtime is added by `MeshServiceHost`. */
@Module({ controllers: [AdderController] })
export class AdderModule {}
