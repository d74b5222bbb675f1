/**
 * The {@code aws-kms} key provider: {@link dev.coffer.kms.aws.AwsKmsKeyProvider} over AWS KMS with
 * the AWS SDK for Java v2, opened from {@code aws-kms:<key ARN or alias ARN>} by {@link
 * dev.coffer.kms.aws.AwsKmsKeyProviderFactory}.
 */
package dev.coffer.kms.aws;
