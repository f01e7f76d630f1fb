import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { Public } from '@toskamesh/runtime';
import type { Response } from 'express';
import { parseTodo } from './parse-todo.js';
import type { Todo } from './todo.js';
import { TodoStore } from './todo.store.js';

/** The original sample's to-do endpoints, public so `curl` works in the local mesh. */
@Public()
@Controller('todos')
export class TodosController {
  constructor(private readonly store: TodoStore) {}

  @Get()
  list(): Todo[] {
    return this.store.all();
  }

  @Get('all')
  all(): Todo[] {
    return this.store.all();
  }

  @Get(':id')
  one(@Param('id') id: string): Todo {
    const todo = this.store.find(id);
    if (!todo) throw new NotFoundException(`No todo with id "${id}"`);
    return todo;
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Todo {
    const todo = this.store.save(parseTodo(body));
    response.setHeader('location', `/todos/${todo.id}`);
    return todo;
  }
}
