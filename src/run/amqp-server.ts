/**
 * The runner's broker: a real RabbitMQ through amqplib, or the embedded in-process broker (src/run/embedded),
 * which has amqplib's promise API, so one code path drives both. Each process opens connections of its own
 * (closing one is how a killed worker's unacked messages go back to the queue); an admin channel declares,
 * fills, watches and deletes the run's queues.
 */
import { connect as amqpConnect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { UsageError } from '../check/prepare.ts';
import { endpoint, withinDeadline } from './endpoint.ts';

/**
 * A broker the run can open connections to.
 * @example
 * const broker = await AmqpServer.open('embedded');
 * const connection = await broker.connect();
 */
export class AmqpServer {
  private constructor(
    private readonly opener: () => Promise<ChannelModel>,
    private readonly adminConnection: ChannelModel,
    /** A confirm channel for setup publishes and queue administration. */
    readonly admin: ConfirmChannel,
    /** `RabbitMQ at host:port`, or `the embedded broker`. */
    readonly label: string,
  ) {}

  /**
   * Connects to the real broker at `url` (failing within 2 s with one line naming host:port), or to the
   * embedded one.
   * @example await AmqpServer.open('real', 'amqp://guest:guest@127.0.0.1:5672')
   */
  static async open(backend: 'embedded' | 'real', url = 'amqp://guest:guest@127.0.0.1:5672'): Promise<AmqpServer> {
    if (backend === 'embedded') {
      // Loaded when asked for: a run's child processes (real servers only) start faster without it.
      const { connect } = await import('./embedded/amqp.ts');
      const connection = await connect();
      return new AmqpServer(() => connect(), connection, await adminChannel(connection), 'the embedded broker');
    }
    const where = endpoint(url, ['amqp:', 'amqps:'], 5672, '--amqp');
    const opener = () => amqpConnect(url, { timeout: 1500 });
    try {
      const connection = await withinDeadline(opener(), `RabbitMQ at ${where}`);
      return new AmqpServer(opener, connection, await adminChannel(connection), `RabbitMQ at ${where}`);
    } catch (error) {
      throw new UsageError(`cannot reach RabbitMQ at ${where}: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /**
   * A new connection (a process's own), with an error listener so a broker-side close is an event, not a crash.
   * @example const connection = await broker.connect()
   */
  async connect(): Promise<ChannelModel> {
    const connection = await this.opener();
    connection.on('error', () => { /* the channel and connection 'close' events carry the consequence */ });
    return connection;
  }

  /**
   * True when queue `name` exists, asked on a throwaway channel (a passive declare of a missing queue closes
   * the channel it is asked on).
   * @example await broker.queueExists('interleave-run:1-ab:payments') // false after cleanup
   */
  async queueExists(name: string): Promise<boolean> {
    const channel = await this.adminConnection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.checkQueue(name);
      await channel.close();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Closes the admin connection.
   * @example await broker.close()
   */
  async close(): Promise<void> {
    await this.adminConnection.close().catch(() => undefined);
  }
}

async function adminChannel(connection: ChannelModel): Promise<ConfirmChannel> {
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
  return channel;
}
