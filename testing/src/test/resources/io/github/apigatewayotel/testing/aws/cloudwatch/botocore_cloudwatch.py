"""Calls the simulated CloudWatch with botocore in one of CloudWatch's wire protocols.

Usage: python3 botocore_cloudwatch.py ENDPOINT PROTOCOL START END
PROTOCOL is one of botocore's names: json (AWS JSON 1.0), smithy-rpc-v2-cbor, query.

botocore picks the first protocol of its own priority list that CloudWatch's model offers; the
model is copied with only PROTOCOL offered, into a directory botocore's loader reads first
(AWS_DATA_PATH), so the client is botocore's own serializer and parser for that protocol.
Prints one JSON document: what each call returned, errors as their botocore error codes.
"""
import datetime
import json
import os
import sys
import tempfile

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError


def client_for(endpoint, protocol):
    loader_session = botocore.session.get_session()
    model = loader_session.get_component('data_loader').load_service_model('cloudwatch', 'service-2')
    model['metadata']['protocols'] = [protocol]
    model['metadata']['protocol'] = protocol
    data = tempfile.mkdtemp()
    version = os.path.join(data, 'cloudwatch', model['metadata']['apiVersion'])
    os.makedirs(version)
    with open(os.path.join(version, 'service-2.json'), 'w') as out:
        json.dump(model, out)
    os.environ['AWS_DATA_PATH'] = data
    session = botocore.session.get_session()
    return session.create_client(
        'cloudwatch', region_name='eu-west-1', endpoint_url=endpoint,
        aws_access_key_id='AKIDTEST', aws_secret_access_key='secret',
        config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))


def error_of(call):
    try:
        call()
        return None
    except ClientError as e:
        return {'code': e.response['Error']['Code'],
                'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                'requestId': e.response['ResponseMetadata'].get('RequestId')}


def main():
    endpoint, protocol, start, end = sys.argv[1:5]
    start = datetime.datetime.fromtimestamp(int(start), datetime.timezone.utc)
    end = datetime.datetime.fromtimestamp(int(end), datetime.timezone.utc)
    cw = client_for(endpoint, protocol)
    out = {'protocol': cw.meta.service_model.resolved_protocol}

    metrics = []
    kwargs = {'Namespace': 'AWS/ApiGateway'}
    while True:
        page = cw.list_metrics(**kwargs)
        metrics += [{'name': m['MetricName'], 'dimensions': {d['Name']: d['Value'] for d in m['Dimensions']}}
                    for m in page['Metrics']]
        if not page.get('NextToken'):
            break
        kwargs['NextToken'] = page['NextToken']
    out['metrics'] = metrics
    filtered = cw.list_metrics(Namespace='AWS/ApiGateway', MetricName='Latency',
                               Dimensions=[{'Name': 'ApiName', 'Value': 'pets-api'}, {'Name': 'Stage'}])
    out['filtered'] = [{d['Name']: d['Value'] for d in m['Dimensions']} for m in filtered['Metrics']]

    queries = []
    for i, m in enumerate(metrics[:40]):
        queries.append({'Id': 'q%d' % i, 'MetricStat': {
            'Metric': {'Namespace': 'AWS/ApiGateway', 'MetricName': m['name'],
                       'Dimensions': [{'Name': k, 'Value': v} for k, v in m['dimensions'].items()]},
            'Period': 60, 'Stat': 'Sum' if 'Latency' not in m['name'] else 'p99'}})
    results = {}
    pages = 0
    kwargs = {'MetricDataQueries': queries, 'StartTime': start, 'EndTime': end, 'ScanBy': 'TimestampAscending'}
    while True:
        page = cw.get_metric_data(**kwargs)
        pages += 1
        for r in page['MetricDataResults']:
            entry = results.setdefault(r['Id'], {'label': r.get('Label'), 'points': {}, 'status': []})
            for t, v in zip(r['Timestamps'], r['Values']):
                entry['points'][str(int(t.timestamp()))] = v
            entry['status'].append(r['StatusCode'])
        if not page.get('NextToken'):
            break
        kwargs['NextToken'] = page['NextToken']
    out['data'] = results
    out['dataPages'] = pages

    out['throttled'] = error_of(lambda: cw.list_metrics(Namespace='AWS/ApiGateway', MetricName='ThrottleMe'))
    out['badToken'] = error_of(lambda: cw.list_metrics(Namespace='AWS/ApiGateway', NextToken='not-a-token'))
    out['badQuery'] = error_of(lambda: cw.get_metric_data(
        MetricDataQueries=[{'Id': 'Bad', 'MetricStat': {'Metric': {'Namespace': 'AWS/ApiGateway', 'MetricName': 'Count'},
                                                          'Period': 60, 'Stat': 'Sum'}}],
        StartTime=start, EndTime=end))
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == '__main__':
    main()
