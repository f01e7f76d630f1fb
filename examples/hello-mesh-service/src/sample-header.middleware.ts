import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Marks every response `x-mesh-sample: hello-mesh-service`, as the original sample did. */
@Injectable()
export class SampleHeaderMiddleware implements NestMiddleware {
  use(_request: Request, response: Response, next: NextFunction): void {
    response.setHeader('x-mesh-sample', 'hello-mesh-service');
    next();
  }
}
