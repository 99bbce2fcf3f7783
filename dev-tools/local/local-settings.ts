/** Where `npm start` keeps its DynamoDB Local data and how it names its tables. */
export const LOCAL_DB_PATH = '.data/dynamodb';
export const LOCAL_TABLE_PREFIX = 'esther-local';
