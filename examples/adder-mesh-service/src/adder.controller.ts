import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Public } from '@toskamesh/runtime';
import { parseOperands } from './parse-operands.js';

/** Result of an addition, as the original sample answered it. */
export interface Sum {
  a: number;
  b: number;
  sum: number;
}

/** `GET /add?a=&b=` and `POST /add {a, b}`; bad operands answer 400 problem+json. */
@Public()
@Controller('add')
export class AdderController {
  @Get()
  addQuery(@Query() query: Record<string, unknown>): Sum {
    return add(parseOperands(query));
  }

  @Post()
  @HttpCode(200)
  addBody(@Body() body: unknown): Sum {
    return add(
      parseOperands(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}),
    );
  }
}

function add({ a, b }: { a: number; b: number }): Sum {
  return { a, b, sum: a + b };
}
