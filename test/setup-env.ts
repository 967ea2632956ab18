// Tests never talk to real Azure: the App Insights SDK's own statsbeat and live metrics would.
process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL = 'true';
delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
