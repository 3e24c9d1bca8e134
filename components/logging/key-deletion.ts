/**
 * How long a deleted stack's KMS keys wait before KMS destroys them: AWS's default and longest, 30 days
 * (https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html: "a waiting period of 7-30 days ...
 * The default waiting period is 30 days"). A key pending deletion costs nothing and blocks no destroy, while
 * a key destroyed by mistake (a wrong stack destroyed) makes every log and secret it encrypted unreadable for
 * good: the longest window buys time to cancel (`aws kms cancel-key-deletion`) at no price.
 */
export const KMS_KEY_DELETION_WINDOW_DAYS = 30;
