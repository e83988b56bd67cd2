/** The pure parts of the unit-of-work machinery and of start-up messages; no server needed. */
import { isDuplicateKey, UndoJournal } from './mongo-context';
import { redactMongoUrl } from './mongo.storage';

describe('UndoJournal (the standalone-server fallback of a unit of work)', () => {
  it('plays the recorded steps newest first, once', async () => {
    const journal = new UndoJournal();
    const played: number[] = [];
    for (const step of [1, 2, 3]) journal.record(async () => played.push(step));
    await journal.undo();
    await journal.undo();
    expect(played).toEqual([3, 2, 1]);
  });

  it('plays every step even when one fails, then reports the first failure', async () => {
    const journal = new UndoJournal();
    const played: string[] = [];
    journal.record(async () => played.push('first write'));
    journal.record(async () => {
      throw new Error('undo of the second write failed');
    });
    journal.record(async () => {
      throw new Error('undo of the third write failed');
    });
    await expect(journal.undo()).rejects.toThrow('undo of the third write failed');
    expect(played).toEqual(['first write']);
  });
});

describe('isDuplicateKey', () => {
  it.each<[unknown, boolean]>([
    [{ code: 11000, message: 'E11000 duplicate key error' }, true],
    [Object.assign(new Error('E11000'), { code: 11000 }), true],
    [{ code: 11001 }, false],
    [{ code: '11000' }, false],
    [new Error('E11000 in the text only'), false],
    [null, false],
  ])('%p → %p', (error, expected) => {
    expect(isDuplicateKey(error)).toBe(expected);
  });
});

describe('redactMongoUrl', () => {
  it.each([
    ['mongodb://maestro:s3cret@db-0,db-1/?replicaSet=rs0', 'mongodb://maestro:***@db-0,db-1/?replicaSet=rs0'],
    ['mongodb+srv://maestro:p%40ss@cluster.example.org/kernelci', 'mongodb+srv://maestro:***@cluster.example.org/kernelci'],
    ['mongodb://maestro:a:b@db/', 'mongodb://maestro:***@db/'],
    ['mongodb://x509-user@db/?authMechanism=MONGODB-X509', 'mongodb://x509-user@db/?authMechanism=MONGODB-X509'],
    ['mongodb://127.0.0.1:27017/kernelci', 'mongodb://127.0.0.1:27017/kernelci'],
  ])('%s', (url, expected) => {
    expect(redactMongoUrl(url)).toBe(expected);
  });
});
