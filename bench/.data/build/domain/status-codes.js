const def = (code, message, http = 200) => Object.freeze({ code, message, http });
export const STATUS = Object.freeze({
    OK: def(20000, 'Ok.'),
    TASK_CREATED: def(20100, 'Task Created.'),
    ONE_TASK_AT_A_TIME: def(40000, 'You can set only one task at a time.'),
    ID_OTHER_CLIENT: def(40001, 'This id is used by another client, check the id.'),
    ID_OTHER_SE: def(40002, 'This id is used by another search engine, check the Path.'),
    ID_OTHER_SE_TYPE: def(40003, 'This id is used by another search type, check the Path.'),
    ID_OTHER_FUNCTION: def(40004, 'This id is used by another function, check the id.'),
    TOO_MANY_TASKS: def(40006, 'You can set no more than 100 tasks at a time.'),
    UNAUTHORIZED: def(40100, 'You are not authorized to access this resource. See your login details here: https://app.dataforseo.com/api-access', 401),
    SE_SERVER_ERROR: def(40101, 'Internal SE Server Error.'),
    NO_SEARCH_RESULTS: def(40102, 'No Search Results.'),
    TASK_EXECUTION_FAILED: def(40103, 'Task execution failed, please try to resubmit the task.'),
    VERIFY_ACCOUNT: def(40104, 'Please verify your account before using the API.'),
    PAYMENT_REQUIRED: def(40200, 'Payment Required.', 402),
    ACCOUNT_PAUSED: def(40201, 'Your account has been temporarily paused due to unusual activity.', 402),
    RATE_LIMIT: def(40202, 'The rate-limit per minute has been exceeded.'),
    COST_LIMIT: def(40203, 'The cost limit has been exceeded. You can modify your cost limit in the user panel.'),
    ACCESS_DENIED: def(40204, 'Access denied. Visit Plans and Subscriptions to activate your subscription.'),
    DUPLICATE_HOUR: def(40205, 'The duplicate task limit per hour has been exceeded.'),
    DUPLICATE_DAY: def(40206, 'The duplicate task limit per day has been exceeded.'),
    IP_NOT_WHITELISTED: def(40207, 'Access denied. Your IP is not whitelisted.'),
    TOO_MANY_SIMULTANEOUS: def(40209, 'Too many simultaneous queries.'),
    INSUFFICIENT_FUNDS: def(40210, "Insufficient funds. Your account's balance is too low to complete this request.", 402),
    NOT_FOUND: def(40400, 'Not Found.', 404),
    TASK_NOT_FOUND: def(40401, 'Task Not Found.'),
    INVALID_PATH: def(40402, 'Invalid Path.'),
    RESULTS_EXPIRED: def(40403, 'Results Expired.'),
    NO_PREPARED_DATA: def(40404, 'No Prepared Data Found. Please Contact Our Support Team.'),
    INSUFFICIENT_TEXT: def(40405, 'Insufficient text on the target page.'),
    PAGE_NOT_SUBMITTED: def(40406, 'The page has not been submitted for crawling.'),
    DUPLICATE_HOST: def(40407, 'Duplicate host.'),
    TARGET_INVALID: def(40408, 'The target URL is invalid or returns 404.'),
    INVALID_FIELD: def(40501, 'Invalid Field.'),
    POST_DATA_EMPTY: def(40502, 'POST Data Is Empty.'),
    POST_DATA_INVALID: def(40503, 'POST Data Is Invalid.'),
    TOO_MANY_KEYWORDS: def(40504, 'The number of intersecting keywords exceeds 10 million.'),
    OLD_DATA: def(40505, 'You are using old data.'),
    UNKNOWN_FIELDS: def(40506, 'Unknown Fields in POST Data.'),
    TASK_HANDED: def(40601, 'Task Handed.'),
    TASK_IN_QUEUE: def(40602, 'Task In Queue.'),
    INTERNAL_ERROR: def(50000, 'Internal Error.', 500),
    BALANCE_CHECK_ERROR: def(50001, 'Error While Checking the Balance.', 500),
    NOT_IMPLEMENTED: def(50100, 'Not Implemented.'),
    THIRD_PARTY_UNAVAILABLE: def(50301, '3rd Party API Service Unavailable.'),
    UPDATE_IN_PROGRESS: def(50303, 'Update in progress. Please try after a few minutes.'),
    FUNCTION_UNAVAILABLE: def(50304, 'This function temporarily unavailable. Please contact support for more information.'),
    TIMEOUT: def(50401, 'Internal Error - Timeout.'),
    TARGET_TOO_SLOW: def(50402, 'Target page took too long to respond.'),
});
const BY_CODE = new Map(Object.values(STATUS).map((s) => [s.code, s]));
/** The catalog entry for a numeric code (undefined for codes serpq does not know). */
export function statusByCode(code) {
    return BY_CODE.get(code);
}
/** The expanded 40501 message the vendor emits, naming the offending field. */
export function invalidFieldMessage(field) {
    return `Invalid Field: '${field}'.`;
}
/** Codes that end a task's execution without a result (the task is still "completed" and listed). */
export const TERMINAL_TASK_ERRORS = Object.freeze([
    STATUS.SE_SERVER_ERROR.code,
    STATUS.NO_SEARCH_RESULTS.code,
    STATUS.TASK_EXECUTION_FAILED.code,
]);
