/** The ceiling: a bare Fastify hello-world route on an ephemeral loopback port, same Node, same machine. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
app.listen({ port: 0, host: '127.0.0.1' }).then((address) => process.stdout.write(`Server listening at ${address}\n`));
