import {
  STAGE_TITLES,
  type StageState,
  type StageStatus,
} from '@mini-atlas/plugin-atlas-common';
import { Box, Typography, makeStyles } from '@material-ui/core';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';

const useStyles = makeStyles(theme => ({
  row: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 4 },
  stage: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 4,
    padding: '2px 8px',
    borderRadius: 12,
    border: `1px solid ${theme.palette.divider}`,
    fontSize: 13,
  },
  done: { color: theme.palette.success?.main ?? '#2e7d32' },
  pending: { color: theme.palette.warning?.main ?? '#ed6c02' },
  failed: { color: theme.palette.error.main },
  unknown: { color: theme.palette.text.disabled },
  holding: { fontWeight: 700, borderWidth: 2 },
  arrow: { color: theme.palette.text.disabled, fontSize: 16 },
  messages: { margin: '4px 0 0', paddingLeft: 18 },
}));

const STATE_WORDS: Record<StageState, string> = {
  done: 'done',
  pending: 'waiting',
  failed: 'failed',
  unknown: 'unknown',
};

function StateIcon(props: { state: StageState; className: string }) {
  const iconProps = { fontSize: 'small' as const, className: props.className };
  switch (props.state) {
    case 'done':
      return <CheckCircleIcon {...iconProps} />;
    case 'failed':
      return <ErrorIcon {...iconProps} />;
    case 'pending':
      return <HourglassEmptyIcon {...iconProps} />;
    default:
      return <HelpOutlineIcon {...iconProps} />;
  }
}

/**
 * The stage pipeline of a request, Git -> Flux -> KRO -> Resources: each stage's state, the
 * stage that holds the request emphasised, and, in words, why it holds (or every stage's
 * message with `detailed`).
 *
 * @public
 */
export function StagePipeline(props: {
  stages: StageStatus[];
  /** Show every stage's message, not only the holding one's. */
  detailed?: boolean;
}) {
  const classes = useStyles();
  const holding = props.stages.find(s => s.state !== 'done');
  return (
    <Box>
      <div
        className={classes.row}
        role="list"
        aria-label="stages Git, Flux, KRO, Resources"
      >
        {props.stages.map((stage, index) => (
          <span key={stage.stage} className={classes.row} role="listitem">
            {index > 0 && <ArrowForwardIcon className={classes.arrow} />}
            <span
              className={`${classes.stage} ${classes[stage.state]} ${
                stage === holding ? classes.holding : ''
              }`}
              aria-label={`${STAGE_TITLES[stage.stage]}: ${
                STATE_WORDS[stage.state]
              }`}
              data-stage={stage.stage}
              data-state={stage.state}
              title={stage.message}
            >
              <StateIcon state={stage.state} className={classes[stage.state]} />
              {STAGE_TITLES[stage.stage]}
            </span>
          </span>
        ))}
      </div>
      {props.detailed ? (
        <ul className={classes.messages}>
          {props.stages.map(stage => (
            <li key={stage.stage}>
              <Typography variant="body2">
                <strong>{STAGE_TITLES[stage.stage]}</strong>: {stage.message}
              </Typography>
            </li>
          ))}
        </ul>
      ) : (
        holding && (
          <Typography
            variant="body2"
            className={classes[holding.state]}
            data-testid="holding-reason"
          >
            {`${STAGE_TITLES[holding.stage]}: ${holding.message}`}
          </Typography>
        )
      )}
    </Box>
  );
}
