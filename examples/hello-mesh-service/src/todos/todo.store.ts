import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Todo } from './todo.js';

/** In-memory to-do list, seeded with two items like the original sample. */
@Injectable()
export class TodoStore {
  private readonly todos = new Map<string, Todo>([
    ['1', { id: '1', title: 'Register with the mesh', completed: true }],
    ['2', { id: '2', title: 'Answer through the gateway', completed: false }],
  ]);

  all(): Todo[] {
    return [...this.todos.values()];
  }

  find(id: string): Todo | undefined {
    return this.todos.get(id);
  }

  /** Adds or replaces a to-do; the id defaults to a GUID in .NET "N" format (32 hex digits). */
  save(input: { id?: string; title: string; completed: boolean }): Todo {
    const todo = {
      id: input.id ?? randomUUID().replaceAll('-', ''),
      title: input.title,
      completed: input.completed,
    };
    this.todos.set(todo.id, todo);
    return todo;
  }
}
