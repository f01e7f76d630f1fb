import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { HelloController } from './hello.controller.js';
import { SampleHeaderMiddleware } from './sample-header.middleware.js';
import { TodoStore } from './todos/todo.store.js';
import { TodosController } from './todos/todos.controller.js';

/** The hello service's own code; the mesh runtime is added by `MeshServiceHost`. */
@Module({ controllers: [HelloController, TodosController], providers: [TodoStore] })
export class HelloModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SampleHeaderMiddleware).forRoutes('*path');
  }
}
